//! An `aiosmtpd` server on loopback (Python's, keeping what it receives in a Maildir), killed
//! when dropped: the real SMTP server of the mail tests, and of `benches/mail.rs`, which
//! includes this file.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct SmtpServer {
    child: Child,
    pub(crate) port: u16,
    /// Where each message received is kept, one file each under `new/`.
    pub(crate) maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl SmtpServer {
    /// Starts on `port` and returns once it listens.
    pub(crate) fn start(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().expect("maildir");
        let maildir = dir.path().join("Maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(15), "aiosmtpd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer { child, port, maildir, _dir: dir }
    }
}
