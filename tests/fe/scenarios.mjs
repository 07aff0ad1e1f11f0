// Drives the original HoneyTouse web front end (github.com/HoneyTouse/HoneyTouse_FE)
// in headless Chromium against a running storedesk-server. Started by
// tests/fe/run.sh, which starts the server and the FE; see tests/fe/README.md.
//
// Environment: FE_URL (the FE's origin), API_URL (the server's origin),
// DATA_DIR (the server's data dir, for outbox/*.eml), OUT (screenshots),
// CHROMIUM (the browser binary), RESTART_CMD (a command that restarts the
// server with --access-ttl 5 on the same data dir, for the session scenario).
// Never prints a token, password or confirmation code.

import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';

const FE = process.env.FE_URL;
const API = process.env.API_URL;
const DATA_DIR = process.env.DATA_DIR;
const OUT = process.env.OUT || '/tmp/storedesk-fe-out';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
fs.mkdirSync(OUT, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = [];
const state = {};

// ---- API helpers (node side, for setup and verification only) ----------

async function api(method, p, { token, body, cookie } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(API + '/api/v1' + p, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* 204 */ }
  return { status: res.status, json };
}

async function signIn(email, password) {
  const r = await api('POST', '/auth/sign-in', { body: { email, password } });
  return r.json?.data?.accessToken;
}

// ---- browser helpers ---------------------------------------------------

// The FE loads Swiper, Font Awesome, fonts and the Daum postcode script from
// CDNs. The test runs offline: Swiper gets a stub, everything else an empty
// answer. Only requests to the FE and the server go out.
async function newPage(ctx, log) {
  const page = await ctx.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const u = req.url();
    if (u.startsWith(FE) || u.startsWith(API) || u.startsWith('data:') || u.startsWith('blob:')) return req.continue();
    if (u.includes('swiper-bundle') && u.endsWith('.js'))
      return req.respond({ status: 200, contentType: 'text/javascript', headers: { 'Access-Control-Allow-Origin': '*' }, body: 'window.Swiper=function(){};' });
    const type = u.endsWith('.css') ? 'text/css' : u.endsWith('.js') ? 'text/javascript' : 'text/plain';
    return req.respond({ status: 200, contentType: type, headers: { 'Access-Control-Allow-Origin': '*' }, body: '' });
  });
  page.on('response', (res) => {
    const u = res.url();
    if (u.startsWith(API + '/api/')) {
      const p = u.slice(API.length).replace(/[0-9a-f]{24}/g, ':id');
      log.api.push(`${res.request().method()} ${p.split('?')[0]} ${res.status()}`);
    }
  });
  page.on('pageerror', (e) => log.errors.push('pageerror: ' + String(e.message).split('\n')[0]));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text().slice(0, 160)); });
  page.on('dialog', async (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    const answer = log.answers.length ? log.answers.shift() : undefined;
    if (d.type() === 'prompt') await d.accept(answer ?? d.defaultValue());
    else await d.accept();
  });
  return page;
}

function newLog() { return { api: [], errors: [], dialogs: [], answers: [] }; }

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, name + '.png'), fullPage: false });
}

async function swalTitle(page, timeout = 8000) {
  await page.waitForSelector('.swal2-title', { visible: true, timeout });
  return page.$eval('.swal2-title', (e) => e.textContent.trim());
}

async function swalConfirm(page) {
  await page.click('.swal2-confirm');
  await page.waitForFunction(() => !document.querySelector('.swal2-container'), { timeout: 5000 }).catch(() => {});
}

// true when every <img> matched by sel has loaded with a size.
async function imagesLoaded(page, sel, min = 1) {
  await page.waitForFunction(
    (s, m) => {
      const imgs = [...document.querySelectorAll(s)];
      return imgs.length >= m && imgs.every((i) => i.complete);
    }, { timeout: 10000 }, sel, min);
  return page.$$eval(sel, (imgs) => imgs.map((i) => ({ src: i.src, ok: i.naturalWidth > 0 })));
}

function latestCode(email) {
  const dir = path.join(DATA_DIR, 'outbox');
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f))
    .filter((f) => fs.readFileSync(f, 'utf8').toLowerCase().includes(email.toLowerCase()))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  if (!files.length) return null;
  const text = fs.readFileSync(files[files.length - 1], 'utf8');
  const body = text.split(/\r?\n\r?\n/).slice(1).join('\n');
  return body.match(/\b(\d{6})\b/)?.[1] ?? null;
}

async function scenario(name, fn) {
  if (ONLY && !ONLY.test(name)) return;
  const log = newLog();
  const t0 = Date.now();
  let ok = false, note = '';
  try {
    note = (await fn(log)) || '';
    ok = true;
  } catch (e) {
    note = String(e.message || e).split('\n')[0];
  }
  results.push({ name, ok, note });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${note ? '  — ' + note : ''}  (${Date.now() - t0} ms)`);
  if (!ok || process.env.VERBOSE) {
    for (const a of log.api) console.log('        api ' + a);
    for (const e of log.errors.slice(0, 8)) console.log('        ' + e);
    for (const d of log.dialogs) console.log('        dialog ' + d);
  }
}

function check(cond, msg) { if (!cond) throw new Error(msg); }

// ---- scenarios ---------------------------------------------------------

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--lang=ko-KR'],
});

const customer = { email: 'customer@example.com', password: 'Customer1234!' };
const admin = { email: 'admin@example.com', password: 'Admin1234!' };
const stamp = Date.now().toString(36);
const member = { email: `fe-${stamp}@example.com`, password: 'Member123!', newPassword: 'Member456!' };

// Setup: pick products with options from the server.
const products = (await api('GET', '/products')).json.data;
const withOptions = products.filter((p) => p.options && p.options.value?.length);
state.product = withOptions[0];
state.productB = withOptions[1];

const guestCtx = await browser.createBrowserContext();
const memberCtx = await browser.createBrowserContext();
const customerCtx = await browser.createBrowserContext();
const adminCtx = await browser.createBrowserContext();

await scenario('01 home: catalog with pictures', async (log) => {
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/index.html', { waitUntil: 'networkidle0' });
  const imgs = await imagesLoaded(page, '.main02_product-list li img', 1);
  await page.$eval('.main02_product-list', (e) => e.scrollIntoView());
  await shot(page, '01-home');
  const broken = imgs.filter((i) => !i.ok);
  check(!broken.length, `${broken.length}/${imgs.length} pictures broken, e.g. ${broken[0]?.src}`);
  return `${imgs.length} pictures`;
});

await scenario('02 category page with pictures', async (log) => {
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/pdt-category/index.html?category=' + encodeURIComponent('조명'), { waitUntil: 'networkidle0' });
  const imgs = await imagesLoaded(page, '#pdtList li img', 1);
  await shot(page, '02-category');
  check(imgs.every((i) => i.ok), 'broken pictures');
  return `${imgs.length} products`;
});

async function addToCart(ctx, log, product, shotName) {
  const page = await newPage(ctx, log);
  await page.goto(FE + '/pdt-info/index.html?id=' + product._id, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('.pdt-name')?.textContent.trim().length > 0, { timeout: 8000 });
  const name = await page.$eval('.pdt-name', (e) => e.textContent.trim());
  check(name === product.name, `name shown ${name}`);
  const img = await imagesLoaded(page, '.bsImage', 1);
  check(img[0].ok, 'product picture broken: ' + img[0].src);
  await page.select('.pdt-option-select', product.options.value[0]);
  await page.waitForSelector('#optionList li');
  // The first choice leaves the cart button disabled: its change listener
  // counts the option lines before the async one adds the line
  // (pdt-info.js:319). A user picks again; the FE says "already chosen".
  await page.select('.pdt-option-select', product.options.value[0]);
  await page.waitForFunction(() => !document.getElementById('pdtBasketBtn').disabled, { timeout: 5000 });
  if (shotName) await shot(page, shotName);
  await page.click('#pdtBasketBtn');
  await page.waitForFunction(() => (JSON.parse(localStorage.getItem('basketItemList') || '[]')).length > 0, { timeout: 5000 });
  return page;
}

await scenario('03 product page', async (log) => {
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/pdt-info/index.html?id=' + state.product._id, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('.pdt-name')?.textContent.trim().length > 0, { timeout: 8000 });
  const img = await imagesLoaded(page, '.bsImage', 1);
  const price = await page.$eval('.pdt-number', (e) => e.textContent.trim());
  const opts = await page.$$eval('.pdt-option-select option', (o) => o.length - 1);
  await shot(page, '03-product');
  check(img[0].ok, 'picture broken');
  check(price === state.product.price.toLocaleString('ko-KR'), 'price ' + price);
  check(opts === state.product.options.value.length, 'options ' + opts);
  return `${state.product.name}, ${opts} options`;
});

await scenario('04 cart (guest)', async (log) => {
  await addToCart(guestCtx, log, state.product);
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/basket/index.html', { waitUntil: 'networkidle0' });
  await page.waitForSelector('.basket-list-wrap li');
  const n = await page.$$eval('.basket-list-wrap > li', (l) => l.length);
  const imgs = await imagesLoaded(page, '.basket-list-wrap li img', 1);
  await page.click('.all-check-btn');
  await shot(page, '04-cart');
  check(n === 1, `${n} lines`);
  check(imgs.every((i) => i.ok), 'broken picture');
  const checked = await page.evaluate(() => JSON.parse(localStorage.getItem('basketItemList')).every((i) => i.isChecked));
  check(checked, 'select-all did not check the line');
});

await scenario('05 guest checkout without receiver', async (log) => {
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/checkout/index.html', { waitUntil: 'networkidle0' });
  const fill = async (id, v) => page.$eval('#' + id, (e, v) => { e.removeAttribute('readonly'); e.value = v; }, v);
  await fill('userName', '손님');
  await fill('userPhoneNumber', '010-1111-2222');
  await fill('userEmail', 'guest@example.com');
  await fill('receiverName', '손님');
  await fill('receiverPhoneNumber', '010-1111-2222');
  await fill('receiverAddress', '서울시 종로구 1');
  await fill('receiverAddressDetail', '2층');
  await page.$eval('#receiverMemo', (e) => { e.value = '문 앞에 두세요'; });
  await page.click('#agreePayment');
  await page.click('#agreePrivacy');
  await shot(page, '05-guest-checkout');
  await Promise.all([page.waitForNavigation({ timeout: 10000 }), page.click('#btnCheckout')]);
  check(page.url().includes('/checkout/result.html?param1='), 'landed on ' + page.url());
  state.guestOrderId = new URL(page.url()).searchParams.get('param1');
  check(log.api.some((a) => a === 'POST /api/v1/orders 201'), 'order not created');
});

await scenario('06 guest result page (order by id, --order-links)', async (log) => {
  const page = await newPage(guestCtx, log);
  await page.goto(FE + '/checkout/result.html?param1=' + state.guestOrderId, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('.order_num')?.textContent.includes('-'), { timeout: 8000 });
  const total = await page.$eval('#ttlPrice', (e) => e.textContent.trim());
  await shot(page, '06-guest-result');
  const expect = (state.product.price + 3000).toLocaleString() + '원';
  check(total === expect, `total ${total}, expected ${expect}`);
  return 'total ' + total;
});

await scenario('07 sign up: emailed code', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/join/index.html', { waitUntil: 'networkidle0' });
  await page.type('.join_name', '박서준');
  await page.type('.join_phone', '01098765432');
  await page.$eval('#join_address', (e) => { e.value = '서울특별시 마포구 1'; });
  await page.$eval('input[name=addressDetail]', (e) => { e.value = '101호'; });
  await page.type('.join_email-01', member.email);
  await page.click('.join_send-email');
  const t1 = await swalTitle(page);
  check(t1 === '인증 메일을 보냈습니다.', 'send: ' + t1);
  await swalConfirm(page);
  let code = null;
  for (let i = 0; i < 20 && !code; i++) { code = latestCode(member.email); if (!code) await sleep(200); }
  check(code, 'no code in the outbox');
  await page.type('.join_email-02', code);
  await page.click('.join_confirm-email');
  const t2 = await swalTitle(page);
  await shot(page, '07-confirm-email');
  check(t2 === '인증번호가 확인되었습니다', 'confirm: ' + t2);
  await swalConfirm(page);
  state.joinPage = page;
});

await scenario('08 sign up: submit', async (log) => {
  const page = state.joinPage;
  check(page, 'no join page');
  page.on('response', (res) => { if (res.url().startsWith(API + '/api/')) log.api.push(`${res.request().method()} ${res.url().slice(API.length)} ${res.status()}`); });
  await page.type('.join_password-01', member.password);
  await page.type('.join_password-02', member.password);
  await page.click('.join_submit');
  const t = await swalTitle(page);
  check(t === '회원가입을 축하합니다!', 'sign-up: ' + t);
  await Promise.all([page.waitForNavigation({ timeout: 8000 }), swalConfirm(page)]);
  check(page.url().endsWith('/login/index.html'), 'landed on ' + page.url());
});

async function feSignIn(ctx, log, who, shotName) {
  const page = await newPage(ctx, log);
  await page.goto(FE + '/login/index.html', { waitUntil: 'networkidle0' });
  await page.type('.login_email', who.email);
  await page.type('.login_password', who.password);
  await page.click('.login_submit');
  const t = await swalTitle(page);
  if (shotName) await shot(page, shotName);
  check(t === '로그인 성공', 'sign-in: ' + t);
  await Promise.all([page.waitForNavigation({ timeout: 8000 }), swalConfirm(page)]);
  const jwt = await page.evaluate(() => localStorage.getItem('jwt'));
  check(jwt && jwt !== 'undefined', 'no token kept');
  return page;
}

await scenario('09 sign in (new member)', async (log) => {
  await feSignIn(memberCtx, log, member, '09-sign-in');
});

await scenario('10 my page', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#userEmail')?.textContent.includes('@'), { timeout: 8000 });
  const email = await page.$eval('#userEmail', (e) => e.textContent.trim());
  const empty = await page.$eval('#orders', (e) => e.textContent.includes('주문 내역이 없습니다'));
  await shot(page, '10-mypage');
  check(email === member.email, 'email shown: ' + email);
  check(empty, 'empty order list not shown');
});

await scenario('11 change password (my page)', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page.click('.profile_btn');
  await page.type('.user_pass_input', member.newPassword);
  await page.type('.user_pass_input-02', member.newPassword);
  await page.click('.user_agree');
  await page.waitForFunction(() => true);
  for (let i = 0; i < 40 && !log.dialogs.length; i++) await sleep(100);
  check(log.dialogs.some((d) => d.includes('회원 정보가 수정되었습니다')), 'no confirmation');
  check(log.api.includes('PATCH /api/v1/auth/me 200'), 'PATCH not 200');
  check(await signIn(member.email, member.newPassword), 'new password does not sign in');
  member.password = member.newPassword;
});

await scenario('12 save profile with an empty password', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page.click('.profile_btn');
  await page.click('.user_agree');
  for (let i = 0; i < 40 && !log.dialogs.length; i++) await sleep(100);
  check(log.api.includes('PATCH /api/v1/auth/me 200'), 'PATCH not 200');
  check(await signIn(member.email, member.password), 'password changed by an empty one');
});

await scenario('13 profile photo', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page.click('.profile_btn');
  const png = fs.readdirSync(path.join(DATA_DIR, 'uploads')).find((f) => f.startsWith('product-demo-') && f.endsWith('.png'));
  const input = await page.$('.myimg');
  await input.uploadFile(path.join(DATA_DIR, 'uploads', png));
  for (let i = 0; i < 100 && !log.dialogs.length; i++) await sleep(100);
  check(log.dialogs.some((d) => d.includes('프로필 이미지가 업로드되었습니다')), 'upload: ' + (log.dialogs[0] || 'no answer'));
  const page2 = await newPage(memberCtx, log);
  await page2.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page2.waitForFunction(() => document.querySelector('#outerThumbImg')?.src.includes('/uploads/'), { timeout: 8000 });
  const img = await imagesLoaded(page2, '#outerThumbImg', 1);
  await shot(page2, '13-profile-photo');
  check(img[0].ok, 'photo does not load: ' + img[0].src);
});

await scenario('14 member checkout', async (log) => {
  await addToCart(memberCtx, log, state.productB, '14-product-option');
  const b = await newPage(memberCtx, log);
  await b.goto(FE + '/basket/index.html', { waitUntil: 'networkidle0' });
  await b.waitForSelector('.basket-list-wrap li');
  await b.click('.all-check-btn');
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/checkout/index.html', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#userEmail')?.value.includes('@'), { timeout: 8000 });
  await page.$eval('#receiverMemo', (e) => { e.value = '경비실에 맡겨 주세요'; });
  await page.click('#agreePayment');
  await page.click('#agreePrivacy');
  await shot(page, '14-member-checkout');
  await Promise.all([page.waitForNavigation({ timeout: 10000 }), page.click('#btnCheckout')]);
  check(page.url().includes('/checkout/result.html'), 'landed on ' + page.url());
  check(log.api.includes('POST /api/v1/orders 201'), 'order not created');
});

await scenario('15 member result page', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/checkout/result.html', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('.order_num')?.textContent.includes('-'), { timeout: 8000 });
  const total = await page.$eval('#ttlPrice', (e) => e.textContent.trim());
  await shot(page, '15-member-result');
  const expect = (state.productB.price + 3000).toLocaleString() + '원';
  check(total === expect, `total ${total}, expected ${expect}`);
});

await scenario('16 order list', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/order-list/index.html', { waitUntil: 'networkidle0' });
  await page.waitForSelector('#orders .info_line', { timeout: 8000 });
  const imgs = await imagesLoaded(page, '#orders .info_line img', 1);
  const link = await page.$eval('#orders a[href*="detail.html?id="]', (a) => a.getAttribute('href'));
  state.memberOrderId = new URLSearchParams(link.split('?')[1]).get('id');
  await shot(page, '16-order-list');
  check(imgs.every((i) => i.ok), 'broken picture');
});

await scenario('17 order detail (by id, --order-links)', async (log) => {
  const page = await newPage(memberCtx, log);
  await page.goto(FE + '/order-list/detail.html?id=' + state.memberOrderId, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.ordered-products .info_line', { timeout: 8000 });
  const status = await page.$eval('.order-status', (e) => e.textContent.trim());
  const imgs = await imagesLoaded(page, '.ordered-products img', 1);
  await shot(page, '17-order-detail');
  check(status.startsWith('결제 완료'), 'status ' + status);
  check(imgs.every((i) => i.ok), 'broken picture');
});

// The admin page's role check reads `.data` of a fetch Response it never
// parsed (adminpage.js:30), so it always shows its error popup and, once
// confirmed, leaves for '/'. The test leaves the popup open and clicks the
// admin menu buttons underneath, which is what the page's own listeners do.
async function adminPage(log, shotName) {
  const page = await newPage(adminCtx, log);
  await page.goto(FE + '/adminpage/index.html', { waitUntil: 'networkidle0' });
  return page;
}

await scenario('18 admin sign in', async (log) => {
  await feSignIn(adminCtx, log, admin);
  state.adminToken = await signIn(admin.email, admin.password);
});

await scenario('19 admin: users', async (log) => {
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('userBtn').click());
  await page.waitForSelector('#user-list ul', { timeout: 8000 });
  await page.evaluate(() => document.querySelector('.swal2-container')?.remove());
  await page.evaluate(() => { document.querySelector('.inner').style.visibility = 'visible'; });
  const text = await page.$eval('#user-list', (e) => e.textContent);
  await shot(page, '19-admin-users');
  check(text.includes(member.email), 'new member not listed');
  check(!/\$2[aby]\$|\$argon|\$6\$/.test(text), 'a password hash is shown');
});

await scenario('20 admin: order status change', async (log) => {
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('orderBtn').click());
  await page.waitForSelector('#order-button button', { timeout: 8000 });
  await page.evaluate(() => { document.querySelector('.swal2-container')?.remove(); document.querySelector('.inner').style.visibility = 'visible'; });
  await page.evaluate(() => [...document.querySelectorAll('#order-button button')].find((b) => b.textContent.startsWith('결제 완료')).click());
  await page.waitForSelector('#order-list ul', { timeout: 8000 });
  await shot(page, '20-admin-orders');
  log.answers.push('배송 준비', '관리자 메모');
  await page.evaluate((id) => [...document.querySelectorAll('#order-list button')].find((b) => b.getAttribute('onclick').includes(id) && b.textContent === '수정').click(), state.memberOrderId);
  for (let i = 0; i < 50; i++) { if (log.api.some((a) => a.startsWith('PUT /api/v1/admin/orders'))) break; await sleep(100); }
  await sleep(300);
  const o = await api('GET', '/orders/' + state.memberOrderId, { token: state.adminToken });
  check(o.json?.data?.status === '배송 준비', 'status now ' + o.json?.data?.status);
  check(o.json?.data?.memo === '관리자 메모', 'memo not saved');
});

await scenario('21 admin: product edit (string price, comma-separated options)', async (log) => {
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('productBtn').click());
  await page.waitForSelector('#product-list ul', { timeout: 8000 });
  await page.evaluate(() => { document.querySelector('.swal2-container')?.remove(); document.querySelector('.inner').style.visibility = 'visible'; });
  const p = state.product;
  log.answers.push(p.name + ' 특가', '11500', p.brand, p.options.name, [...p.options.value, '블랙'].join(','));
  await page.evaluate((id) => [...document.querySelectorAll('#product-list button')].find((b) => b.getAttribute('onclick').startsWith(`editProduct('${id}'`)).click(), p._id);
  for (let i = 0; i < 50; i++) { if (log.api.some((a) => a.startsWith('PUT /api/v1/admin/products'))) break; await sleep(100); }
  await sleep(500);
  await shot(page, '21-admin-product-edit');
  const after = (await api('GET', '/products/' + p._id)).json?.data;
  check(after?.price === 11500, 'price now ' + JSON.stringify(after?.price));
  check(after?.name === p.name + ' 특가', 'name not saved');
  check(JSON.stringify(after?.options?.value) === JSON.stringify([...p.options.value, '블랙']), 'options now ' + JSON.stringify(after?.options?.value));
});

await scenario('22 admin: product delete', async (log) => {
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('productBtn').click());
  await page.waitForSelector('#product-list ul', { timeout: 8000 });
  const victim = products.find((p) => !p.options);
  await page.evaluate((id) => [...document.querySelectorAll('#product-list button')].find((b) => b.getAttribute('onclick') === `deleteProduct('${id}')`).click(), victim._id);
  for (let i = 0; i < 50; i++) { if (log.api.some((a) => a.startsWith('DELETE /api/v1/admin/products'))) break; await sleep(100); }
  await sleep(300);
  check(log.api.includes('DELETE /api/v1/admin/products/:id 204'), 'delete not 204');
  const r = await api('GET', '/products/' + victim._id);
  check(r.status === 404, 'product still answers ' + r.status);
});

await scenario('23 admin: category edit', async (log) => {
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('categoryBtn').click());
  await page.waitForSelector('#category-list ul', { timeout: 8000 });
  const cats = (await api('GET', '/categories')).json.data;
  const c = cats[cats.length - 1];
  log.answers.push(c.name + ' 소품');
  await page.evaluate((id) => [...document.querySelectorAll('#category-list button')].find((b) => b.getAttribute('onclick').startsWith(`editCategory('${id}'`)).click(), c._id);
  await page.waitForFunction((n) => document.querySelector('#category-list')?.textContent.includes(n), { timeout: 8000 }, c.name + ' 소품');
  await page.evaluate(() => { document.querySelector('.swal2-container')?.remove(); document.querySelector('.inner').style.visibility = 'visible'; });
  await shot(page, '23-admin-categories');
  const after = (await api('GET', '/categories/' + c._id)).json?.data;
  check(after?.name === c.name + ' 소품', 'name now ' + after?.name);
});

await scenario('24 admin: category delete (empty one; one in use is refused)', async (log) => {
  // The FE cannot create a category: make an empty one through the API.
  const created = await api('POST', '/admin/categories', { token: state.adminToken, body: { name: '임시분류' } });
  check(created.status === 201, 'setup: create category ' + created.status);
  const page = await adminPage(log);
  await page.evaluate(() => document.getElementById('categoryBtn').click());
  await page.waitForSelector('#category-list ul', { timeout: 8000 });
  await page.evaluate((id) => [...document.querySelectorAll('#category-list button')].find((b) => b.getAttribute('onclick') === `deleteCategory('${id}')`).click(), created.json.data._id);
  for (let i = 0; i < 50; i++) { if (log.api.some((a) => a.startsWith('DELETE /api/v1/admin/categories'))) break; await sleep(100); }
  await sleep(300);
  check(log.api.includes('DELETE /api/v1/admin/categories/:id 204'), 'delete not 204');
  const gone = await api('GET', '/categories/' + created.json.data._id);
  check(gone.status === 404, 'category still answers ' + gone.status);
  const inUse = state.product.categoryId;
  await page.evaluate((id) => [...document.querySelectorAll('#category-list button')].find((b) => b.getAttribute('onclick') === `deleteCategory('${id}')`).click(), inUse);
  for (let i = 0; i < 50; i++) { if (log.api.filter((a) => a.startsWith('DELETE /api/v1/admin/categories')).length > 1) break; await sleep(100); }
  check(log.api.includes('DELETE /api/v1/admin/categories/:id 409'), 'in-use delete not refused');
});

await scenario('25 sign out', async (log) => {
  const page = await newPage(customerCtx, log);
  await feSignIn(customerCtx, log, customer);
  await page.goto(FE + '/index.html', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => !!document.querySelector('.h_login-out a'), { timeout: 5000 });
  await Promise.all([page.waitForNavigation({ timeout: 8000 }), page.$eval('.h_login-out a', (a) => a.click())]);
  check(log.api.includes('POST /api/v1/auth/sign-out 200'), 'sign-out not 200');
  check(!(await page.evaluate(() => localStorage.getItem('jwt'))), 'token kept');
});

// Session expiry: the server is restarted with --access-ttl 5. After expiry,
// my page makes three calls at once (/auth/me, /orders twice); each gets 401
// and refreshes on its own, all with the same refresh cookie.
await scenario('26 session expiry: parallel refreshes keep the user signed in', async (log) => {
  check(process.env.RESTART_CMD, 'RESTART_CMD not set');
  execSync(process.env.RESTART_CMD, { stdio: 'inherit' });
  await feSignIn(customerCtx, log, customer);
  const page = await newPage(customerCtx, log);
  const before = await page.evaluate(() => localStorage.getItem('jwt')).catch(() => null);
  await sleep(6500);
  log.api.length = 0;
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await sleep(1500);
  const refreshes = log.api.filter((a) => a.startsWith('POST /api/v1/auth/refresh-access-token'));
  await shot(page, '26-after-expiry');
  check(refreshes.length >= 2, `${refreshes.length} refreshes`);
  check(refreshes.every((r) => r.endsWith(' 200')), 'refreshes: ' + refreshes.join(', '));
  check(!page.url().includes('/login/'), 'sent to the login page');
  const after = await page.evaluate(() => localStorage.getItem('jwt'));
  check(after && after !== before, 'no new token kept');
  // A second round after the next expiry, with the rotated cookie.
  await sleep(6500);
  log.api.length = 0;
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await sleep(1500);
  const again = log.api.filter((a) => a.startsWith('POST /api/v1/auth/refresh-access-token'));
  check(again.length && again.every((r) => r.endsWith(' 200')), 'second round: ' + again.join(', '));
  // Within the token's life, the page shows the member.
  await page.goto(FE + '/mypage/index.html', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#userEmail')?.textContent.includes('@'), { timeout: 4000 });
  await shot(page, '26-mypage-after-refresh');
  return `${refreshes.length} parallel refreshes, all 200`;
});

await browser.close();
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length}/${results.length} scenarios passed; screenshots in ${OUT}`);
process.exit(failed.length ? 1 : 0);
