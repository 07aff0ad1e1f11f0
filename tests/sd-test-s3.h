/* sd-test-s3.h — a real S3 store for the server's tests: s3rver (npm
 * @20minutes/s3rver, installed by `build-aux/run deps` into .deps/),
 * which checks every SigV4 signature, on a free port of 127.0.0.1 with
 * a fresh folder, one bucket and a key pair of its own. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *dir;          /* s3rver's folder: DIR/BUCKET/NAME._S3rver_object */
  char        *endpoint;     /* http://127.0.0.1:PORT */
  char        *bucket;
  char        *access_key;
  char        *secret_key;
} SdTestS3;

/* Starts s3rver and waits until it serves. When s3rver is not installed,
 * skips the test (g_test_skip) and returns NULL, unless
 * STOREDESK_TEST_REQUIRE_S3 is set (build-aux/run test sets it): then
 * the test fails. */
SdTestS3 *sd_test_s3_start      (void);
void      sd_test_s3_free       (SdTestS3   *s3);
/* Whether the bucket holds an object of that name. */
gboolean  sd_test_s3_has        (SdTestS3   *s3,
                                 const char *name);
/* The objects in the bucket. */
guint     sd_test_s3_count      (SdTestS3   *s3);
/* Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (random) and AWS_REGION
 * for the servers the program starts, and for the key pair of every
 * s3rver: call it in main() before any thread runs (setenv is not
 * thread-safe). */
void      sd_test_s3_init_env   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestS3, sd_test_s3_free)

G_END_DECLS
