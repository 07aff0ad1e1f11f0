// s3rver-launch.js — a real S3 (s3rver) on loopback for the server's tests.
// Usage: node s3rver-launch.js DIR BUCKET ACCESS_KEY SECRET_KEY
// (NODE_PATH names the node_modules that `build-aux/run deps` filled.)
// Listens on a free port of 127.0.0.1 and prints "port N" once it serves.
//
// Two changes to s3rver's defaults, both towards real S3: its built-in
// S3RVER/S3RVER key pair goes (only the given one signs), and a request
// with no signature at all is refused, as a private bucket refuses
// anonymous requests (s3rver itself lets them through).
'use strict'
const S3rver = require('@20minutes/s3rver')
const AWSAccount = require('@20minutes/s3rver/lib/models/account')

const [dir, bucket, accessKey, secretKey] = process.argv.slice(2)
if (!dir || !bucket || !accessKey || !secretKey) {
  console.error('usage: s3rver-launch.js DIR BUCKET ACCESS_KEY SECRET_KEY')
  process.exit(2)
}
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER')
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey)

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: dir,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
})
server.middleware.unshift(async (ctx, next) => {
  if (!ctx.get('authorization') && !('X-Amz-Algorithm' in ctx.query)) {
    ctx.status = 403
    ctx.type = 'application/xml'
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
      '<Message>Access Denied</Message></Error>'
    return
  }
  return next()
})
server.run().then(({ port }) => {
  process.stdout.write(`port ${port}\n`)
}, (err) => {
  console.error(err)
  process.exit(1)
})
// Ends with the test that started it: stdin closing means the test is gone.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
