//! A stand-in for NCALayer, the national CA's desktop application through which a page in
//! Kazakhstan reaches the person's EDS. NCALayer cannot run here (a desktop program with its
//! own key dialogs), so this is the one stand-in of the test suite: everything else the
//! browser test touches is the real service, the real page script and a real Chromium.
//!
//! It listens where NCALayer does, `wss://127.0.0.1:13579`, over TLS with a self-signed
//! certificate made at start (Chromium runs with `--ignore-certificate-errors`, as a machine
//! with NCALayer trusts its certificate), and speaks its protocol as pkigovkz's
//! NCALayerJSExample describes it: a greeting with its version on connect, then for each
//! `kz.gov.pki.knca.basics` `sign` request an answer `{"status": true, "body": {"result":
//! [CMS]}}` or a failure with a code and message. It signs with the key the test hands it,
//! as a person picks their key file in NCALayer's dialog: the development keys of the
//! service's office (`Office::person`), whose certificates name the person's IIN and chain to
//! the office's roots, so every signature goes through the service's real verification.
//!
//! The WebSocket framing (RFC 6455) is written out here, a few dozen lines, rather than
//! taking a WebSocket crate into the build for a test.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use openssl::asn1::Asn1Time;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::{X509, X509NameBuilder};
use serde_json::{Value, json};

/// What the stand-in does with the next request, as the person would in NCALayer's dialog.
#[derive(Clone)]
pub(crate) enum Choice {
    /// Signs with this key.
    Sign(Box<docs::Signer>),
    /// The person closes the dialog.
    Cancel,
}

/// The running stand-in. It serves until the test process ends.
pub(crate) struct NcaLayer {
    choice: Arc<Mutex<Choice>>,
    requests: Arc<Mutex<Vec<Value>>>,
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

impl NcaLayer {
    /// Starts listening on NCALayer's port; panics if it is taken (another NCALayer).
    pub(crate) fn start(choice: Choice) -> NcaLayer {
        let listener = TcpListener::bind("127.0.0.1:13579").expect("NCALayer's port 13579 is free");
        let acceptor = Arc::new(acceptor());
        let stand_in = NcaLayer { choice: Arc::new(Mutex::new(choice)), requests: Arc::default() };
        let (choice, requests) = (stand_in.choice.clone(), stand_in.requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (acceptor, choice, requests) = (acceptor.clone(), choice.clone(), requests.clone());
                std::thread::spawn(move || {
                    if let Ok(tls) = acceptor.accept(stream) {
                        serve(tls, &choice, &requests);
                    }
                });
            }
        });
        stand_in
    }

    /// What the next request gets.
    pub(crate) fn choose(&self, choice: Choice) {
        *self.choice.lock().expect("lock") = choice;
    }

    /// The requests received, as the page sent them.
    pub(crate) fn requests(&self) -> Vec<Value> {
        self.requests.lock().expect("lock").clone()
    }
}

/// TLS with a fresh self-signed certificate for 127.0.0.1.
fn acceptor() -> SslAcceptor {
    let key = PKey::from_ec_key(
        EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("curve")).expect("key"),
    )
    .expect("pkey");
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("CN", "127.0.0.1").expect("cn");
    let name = name.build();
    let mut cert = X509::builder().expect("builder");
    cert.set_version(2).expect("version");
    cert.set_subject_name(&name).expect("subject");
    cert.set_issuer_name(&name).expect("issuer");
    cert.set_pubkey(&key).expect("pubkey");
    cert.set_not_before(&Asn1Time::days_from_now(0).expect("time")).expect("not before");
    cert.set_not_after(&Asn1Time::days_from_now(1).expect("time")).expect("not after");
    cert.sign(&key, MessageDigest::sha256()).expect("self-signed");
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("acceptor");
    acceptor.set_private_key(&key).expect("key");
    acceptor.set_certificate(&cert.build()).expect("cert");
    acceptor.build()
}

/// One connection: the WebSocket handshake, the greeting, then an answer per request.
fn serve(mut s: impl Read + Write, choice: &Mutex<Choice>, requests: &Mutex<Vec<Value>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read_exact(&mut byte).is_err() || head.len() > 16 * 1024 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let Some(key) = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim().eq_ignore_ascii_case("sec-websocket-key").then(|| value.trim().to_owned())
    }) else {
        return;
    };
    let accept = B64.encode(openssl::sha::sha1(format!("{key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11").as_bytes()));
    let reply = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if s.write_all(reply.as_bytes()).is_err() || send(&mut s, &json!({"result": {"version": "1.4"}})).is_err() {
        return;
    }
    while let Some(text) = receive(&mut s) {
        let Ok(request) = serde_json::from_str::<Value>(&text) else { return };
        requests.lock().expect("lock").push(request.clone());
        let chosen = choice.lock().expect("lock").clone();
        let answer = match chosen {
            Choice::Cancel => json!({"status": false, "code": "-1", "message": "action.canceled"}),
            Choice::Sign(key) => {
                let data = request["args"]["data"].as_str().and_then(|d| B64.decode(d).ok()).unwrap_or_default();
                match key.sign(&data) {
                    Ok(cms) => json!({"status": true, "body": {"result": [B64.encode(cms)]}}),
                    Err(e) => json!({"status": false, "code": "500", "message": e.to_string()}),
                }
            }
        };
        if send(&mut s, &answer).is_err() {
            return;
        }
    }
}

/// A text frame to the page (a server's frames are not masked).
fn send(s: &mut impl Write, value: &Value) -> std::io::Result<()> {
    let payload = value.to_string().into_bytes();
    let mut frame = vec![0x81u8];
    match payload.len() {
        n if n < 126 => frame.push(n as u8),
        n if n <= 0xFFFF => {
            frame.push(126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&payload);
    s.write_all(&frame)?;
    s.flush()
}

/// The next text message from the page (fragments joined, the client's mask removed);
/// `None` at a close frame or when the connection ends.
fn receive(s: &mut impl Read) -> Option<String> {
    let mut message = Vec::new();
    loop {
        let mut h = [0u8; 2];
        s.read_exact(&mut h).ok()?;
        let (fin, opcode) = (h[0] & 0x80 != 0, h[0] & 0x0F);
        let mut len = u64::from(h[1] & 0x7F);
        if len == 126 {
            let mut b = [0u8; 2];
            s.read_exact(&mut b).ok()?;
            len = u64::from(u16::from_be_bytes(b));
        } else if len == 127 {
            let mut b = [0u8; 8];
            s.read_exact(&mut b).ok()?;
            len = u64::from_be_bytes(b);
        }
        let mut mask = [0u8; 4];
        if h[1] & 0x80 != 0 {
            s.read_exact(&mut mask).ok()?;
        }
        let mut payload = vec![0u8; usize::try_from(len).ok()?];
        s.read_exact(&mut payload).ok()?;
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
        match opcode {
            0x8 => return None,
            0x9 | 0xA => continue,
            _ => message.extend_from_slice(&payload),
        }
        if fin {
            return String::from_utf8(message).ok();
        }
    }
}
