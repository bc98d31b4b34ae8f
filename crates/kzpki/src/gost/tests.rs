use super::*;

/// Big-endian hex (as the standard prints numbers) to little-endian bytes (as the NCA
/// encodes them).
fn le(hex: &str) -> Vec<u8> {
    let mut b: Vec<u8> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("test step")).collect();
    b.reverse();
    b
}

fn cat(a: &str, b: &str) -> Vec<u8> {
    let mut v = le(a);
    v.extend(le(b));
    v
}

/// GOST R 34.10-2012 appendix A.1 (RFC 7091 §7.1), 256-bit.
#[test]
fn standard_example_a1() {
    let d = PrivateKey::from_le_bytes(
        GostCurve::Example256,
        &le("7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28"),
    )
    .expect("test step");
    let q = cat(
        "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
        "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
    );
    assert_eq!(d.public_key(), q);
    let alpha = le("2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5");
    let k = le("77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3");
    let sig = d.sign_with_nonce(&alpha, &k).expect("test step");
    let want = cat(
        "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
        "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40",
    );
    assert_eq!(sig, want);
    assert_eq!(GostCurve::Example256.verify(&q, &alpha, &sig), Ok(()));
    let mut bad = alpha.clone();
    bad[0] ^= 1;
    assert_eq!(GostCurve::Example256.verify(&q, &bad, &sig), Err(GostError::Mismatch));
}

/// GOST R 34.10-2012 appendix A.2 (RFC 7091 §7.2), 512-bit.
#[test]
fn standard_example_a2() {
    let d = PrivateKey::from_le_bytes(
        GostCurve::Example512,
        &le("0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4"),
    )
    .expect("test step");
    let q = cat(
        "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
        "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
    );
    assert_eq!(d.public_key(), q);
    let alpha = le(
        "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    );
    let k = le(
        "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
    );
    let sig = d.sign_with_nonce(&alpha, &k).expect("test step");
    let want = cat(
        "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
        "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
    );
    assert_eq!(sig, want);
    assert_eq!(GostCurve::Example512.verify(&q, &alpha, &sig), Ok(()));
    // RFC 4491's order (s ‖ r, big-endian) is this one reversed: it must not verify.
    let mut rfc4491 = sig.clone();
    rfc4491.reverse();
    assert_eq!(GostCurve::Example512.verify(&q, &alpha, &rfc4491), Err(GostError::Mismatch));
    // The same through the key's comb (issue 34).
    GostCurve::Example512.keep_table(&q).expect("a table");
    assert_eq!(GostCurve::Example512.verify(&q, &alpha, &sig), Ok(()));
    assert_eq!(GostCurve::Example512.verify(&q, &alpha, &rfc4491), Err(GostError::Mismatch));
}

/// A multiple of the TC26 512 paramSetA base point, from RFC 8133's SESPAKE examples.
#[test]
fn tc26_512a_scalar_multiplication() {
    let d = PrivateKey::from_le_bytes(
        GostCurve::Tc26_512A,
        &le("3CE54325DB52FE798824AEAD11BB16FA766857D04A4AF7D468672F16D90E7396046A46F815693E85B1CE5464DA9270181F82333B0715057BBE8D61D400505F0E"),
    )
    .expect("test step");
    let want = cat(
        "B93093EB0FCC463239B7DF276E09E592FCFC9B635504EA4531655D76A0A3078E2B4E51CFE2FA400CC5DE9FBE369DB204B3E8ED7EDD85EE5CCA654C1AED70E396",
        "809770B8D910EA30BD2FA89736E91DC31815D2D9B31128077EEDC371E9F69466F497DC64DD5B1FADC587F860EE256109138C4A9CD96B628E65A8F590520FC882",
    );
    assert_eq!(d.public_key(), want);
}

/// Every curve the crate knows.
const EVERY_CURVE: [GostCurve; 5] =
    [GostCurve::Tc26_512A, GostCurve::Tc26_256A, GostCurve::CryptoProA, GostCurve::Example256, GostCurve::Example512];

#[test]
fn every_curve_signs_and_verifies_its_own_keys() {
    for curve in EVERY_CURVE {
        let key = PrivateKey::generate(curve).expect("test step");
        let public = key.public_key();
        let digest: Vec<u8> = (0..curve.size() as u8).collect();
        let sig = key.sign(&digest).expect("test step");
        assert_eq!(curve.verify(&public, &digest, &sig), Ok(()), "{curve:?}");
        let mut tampered = sig.clone();
        tampered[3] ^= 0x40;
        assert_eq!(curve.verify(&public, &digest, &tampered), Err(GostError::Mismatch), "{curve:?}");
        let mut off_curve = public.clone();
        off_curve[0] ^= 1;
        assert_eq!(curve.verify(&off_curve, &digest, &sig), Err(GostError::BadPublicKey(curve)));
    }
}

/// Issue 34: a key with a kept table (a CA's) verifies through the comb; the answers are
/// the same as without one, for good signatures, altered ones and other digests, on every
/// curve, and the standard's own example verifies through its comb.
#[test]
fn a_kept_table_gives_the_same_answers() {
    for curve in EVERY_CURVE {
        let key = PrivateKey::generate(curve).expect("test step");
        let public = key.public_key();
        let mut cases = Vec::new();
        for i in 0..8u8 {
            let digest: Vec<u8> = (0..curve.size() as u8).map(|b| b.wrapping_mul(31).wrapping_add(i)).collect();
            let sig = key.sign(&digest).expect("test step");
            let mut tampered = sig.clone();
            tampered[usize::from(i) * 5 % sig.len()] ^= 1 << (i % 8);
            let mut other = digest.clone();
            other[0] ^= 0x80;
            cases.push((digest.clone(), sig.clone()));
            cases.push((digest, tampered));
            cases.push((other, sig));
        }
        let before: Vec<_> = cases.iter().map(|(d, s)| curve.verify(&public, d, s)).collect();
        curve.keep_table(&public).expect("a table");
        let after: Vec<_> = cases.iter().map(|(d, s)| curve.verify(&public, d, s)).collect();
        assert_eq!(before, after, "{curve:?}");
        assert_eq!(after.iter().filter(|r| r.is_ok()).count(), 8, "{curve:?}: {after:?}");
        let mut off_curve = public.clone();
        off_curve[0] ^= 1;
        assert_eq!(curve.keep_table(&off_curve), Err(GostError::BadPublicKey(curve)));
    }
}

#[test]
fn out_of_range_values_are_refused() {
    let curve = GostCurve::Tc26_512A;
    assert_eq!(PrivateKey::from_le_bytes(curve, &[0; 64]).expect_err("test step"), GostError::BadPrivateKey);
    assert_eq!(PrivateKey::from_le_bytes(curve, &[0xFF; 64]).expect_err("test step"), GostError::BadPrivateKey);
    let key = PrivateKey::generate(curve).expect("test step");
    let digest = [7u8; 64];
    // r = 0 and s ≥ q are not signatures.
    let mut sig = key.sign(&digest).expect("test step");
    sig[..64].fill(0);
    assert_eq!(curve.verify(&key.public_key(), &digest, &sig), Err(GostError::Mismatch));
    sig[64..].fill(0xFF);
    assert_eq!(curve.verify(&key.public_key(), &digest, &sig), Err(GostError::Mismatch));
    assert!(matches!(curve.verify(&key.public_key(), &digest[..32], &sig), Err(GostError::BadDigestLength { .. })));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
    #[test]
    fn sign_then_verify_random_digests(digest in proptest::collection::vec(proptest::num::u8::ANY, 64)) {
        let key = PrivateKey::generate(GostCurve::Tc26_512A).expect("test step");
        let sig = key.sign(&digest).expect("test step");
        proptest::prop_assert_eq!(GostCurve::Tc26_512A.verify(&key.public_key(), &digest, &sig), Ok(()));
    }
}
