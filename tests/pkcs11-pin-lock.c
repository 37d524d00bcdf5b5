/* pkcs11-pin-lock.c: a PKCS#11 module for tests that is SoftHSM2 with a
 * PIN retry counter, as real security keys have (a YubiKey's PIV PIN
 * locks after three wrong tries) and SoftHSM2 has not.
 *
 * It loads the real module named by $VOUCH_TEST_REAL_MODULE, passes every
 * call through, and counts wrong user PINs in the file named by
 * $VOUCH_TEST_LOCK_STATE (so every process sees the same count): after
 * LOCK_AFTER wrong tries C_Login answers CKR_PIN_LOCKED, even for the
 * right PIN, and the token reports CKF_USER_PIN_LOCKED, as a locked token
 * does. Only the test registers it, in a mount namespace of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <stdio.h>
#include <stdlib.h>

#define LOCK_AFTER 3

static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST wrapped;

static int
read_tries (void)
{
  const char *path = getenv ("VOUCH_TEST_LOCK_STATE");
  FILE *file = path != NULL ? fopen (path, "r") : NULL;
  int tries = 0;

  if (file == NULL)
    return 0;
  if (fscanf (file, "%d", &tries) != 1)
    tries = 0;
  fclose (file);
  return tries;
}

static void
write_tries (int tries)
{
  const char *path = getenv ("VOUCH_TEST_LOCK_STATE");
  FILE *file = path != NULL ? fopen (path, "w") : NULL;

  if (file == NULL)
    return;
  fprintf (file, "%d\n", tries);
  fclose (file);
}

static CK_RV
login (CK_SESSION_HANDLE session,
       CK_USER_TYPE      user_type,
       CK_UTF8CHAR_PTR   pin,
       CK_ULONG          pin_len)
{
  CK_RV rv;

  if (user_type != CKU_USER)
    return real->C_Login (session, user_type, pin, pin_len);
  if (read_tries () >= LOCK_AFTER)
    return CKR_PIN_LOCKED;

  rv = real->C_Login (session, user_type, pin, pin_len);
  if (rv == CKR_PIN_INCORRECT)
    {
      int tries = read_tries () + 1;

      write_tries (tries);
      if (tries >= LOCK_AFTER)
        return CKR_PIN_LOCKED;
    }
  else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
    write_tries (0);
  return rv;
}

static CK_RV
get_token_info (CK_SLOT_ID        slot,
                CK_TOKEN_INFO_PTR info)
{
  CK_RV rv = real->C_GetTokenInfo (slot, info);
  int tries = read_tries ();

  if (rv != CKR_OK)
    return rv;
  if (tries >= LOCK_AFTER)
    info->flags |= CKF_USER_PIN_LOCKED;
  else if (tries == LOCK_AFTER - 1)
    info->flags |= CKF_USER_PIN_FINAL_TRY;
  return rv;
}

CK_RV C_GetFunctionList (CK_FUNCTION_LIST_PTR_PTR list);

CK_RV
C_GetFunctionList (CK_FUNCTION_LIST_PTR_PTR list)
{
  if (real == NULL)
    {
      const char *path = getenv ("VOUCH_TEST_REAL_MODULE");
      void *module = path != NULL ? dlopen (path, RTLD_NOW | RTLD_LOCAL) : NULL;
      CK_C_GetFunctionList get_list;

      if (module == NULL)
        return CKR_GENERAL_ERROR;
      get_list = (CK_C_GetFunctionList)dlsym (module, "C_GetFunctionList");
      if (get_list == NULL || get_list (&real) != CKR_OK)
        return CKR_GENERAL_ERROR;
      wrapped = *real;
      wrapped.C_Login = login;
      wrapped.C_GetTokenInfo = get_token_info;
    }

  *list = &wrapped;
  return CKR_OK;
}
