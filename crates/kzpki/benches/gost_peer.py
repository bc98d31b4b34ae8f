"""OpenSSL's GOST engine (Debian libengine-gost-openssl) verifying one GOST R 34.10-2012
512-bit signature in a loop, called through ctypes: the peer figure of benches/gost.rs.
Arguments: KEY.pem (TC26 SubjectPublicKeyInfo) SIG (RFC 4491 order) DATA N. Prints
verifications per second (best of five rounds of N); exits non-zero without the engine."""
import ctypes, sys, time
key, sig, data, n = open(sys.argv[1],'rb').read(), open(sys.argv[2],'rb').read(), open(sys.argv[3],'rb').read(), int(sys.argv[4])
lib = ctypes.CDLL("libcrypto.so.3")
P = ctypes.c_void_p
for name in ["ENGINE_by_id", "BIO_new_mem_buf", "PEM_read_bio_PUBKEY", "EVP_get_digestbyname", "EVP_MD_CTX_new"]:
    getattr(lib, name).restype = P
lib.ENGINE_init.argtypes = [P]; lib.ENGINE_set_default.argtypes = [P, ctypes.c_uint]
lib.PEM_read_bio_PUBKEY.argtypes = [P, P, P, P]
lib.EVP_DigestVerifyInit.argtypes = [P, P, P, P, P]
lib.EVP_DigestVerify.argtypes = [P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
lib.EVP_MD_CTX_free.argtypes = [P]
lib.ENGINE_load_builtin_engines()
e = lib.ENGINE_by_id(b"gost")
if not e or lib.ENGINE_init(e) != 1: sys.exit("no engine")
lib.ENGINE_set_default(e, 0xFFFF)
bio = lib.BIO_new_mem_buf(key, len(key))
pkey = lib.PEM_read_bio_PUBKEY(bio, None, None, None)
md = lib.EVP_get_digestbyname(b"md_gost12_512")
if not pkey or not md: sys.exit("no key or digest")
def verify():
    ctx = lib.EVP_MD_CTX_new()
    ok = lib.EVP_DigestVerifyInit(ctx, None, md, e, pkey) == 1 and lib.EVP_DigestVerify(ctx, sig, len(sig), data, len(data)) == 1
    lib.EVP_MD_CTX_free(ctx)
    return ok
if not verify(): sys.exit("refused")
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    for _ in range(n):
        if not verify(): sys.exit("refused")
    best = min(best, time.perf_counter() - t)
print(n / best)
