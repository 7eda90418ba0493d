//! A loopback HTTP/1.1 server that keeps every request exactly as it arrived (request
//! target, headers in wire order with their case, body bytes, framing) and answers each
//! with a small JSON success.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;

/// A request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Method.
    pub method: String,
    /// Raw request target: path and query as sent.
    pub target: String,
    /// Headers in wire order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes (de-chunked when sent chunked).
    pub body: Vec<u8>,
}

/// The running server: its address and the requests it received, in order.
pub struct Server {
    /// `127.0.0.1:port`.
    pub address: String,
    received: mpsc::Receiver<Received>,
}

const ANSWER: &str = "{\"RequestId\":\"wire-goldens\"}";

impl Server {
    /// Binds an OS-chosen port and serves on a thread of its own until the process ends.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let address = listener.local_addr().expect("local address").to_string();
        let (sender, received) = mpsc::channel();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let sender = sender.clone();
                thread::spawn(move || serve(stream, &sender));
            }
        });
        Server { address, received }
    }

    /// The next request received, waiting up to ten seconds.
    pub fn next(&self) -> Option<Received> {
        self.received
            .recv_timeout(std::time::Duration::from_secs(10))
            .ok()
    }

    /// A request already received and not yet taken (one that should not have been sent).
    pub fn pending(&self) -> Option<Received> {
        self.received.try_recv().ok()
    }
}

fn serve(stream: TcpStream, sender: &mpsc::Sender<Received>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        if sender.send(request).is_err() {
            return;
        }
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=utf-8\r\nx-acs-request-id: wire-goldens\r\ncontent-length: {}\r\n\r\n{ANSWER}",
            ANSWER.len()
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = Vec::new();
    match reader.read_until(b'\n', &mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            Some(String::from_utf8_lossy(&line).into_owned())
        }
    }
}

fn read_request(reader: &mut impl BufRead) -> Option<Received> {
    let request_line = read_line(reader)?;
    let mut parts = request_line.splitn(3, ' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.clone())
    };
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|value| value.eq_ignore_ascii_case("chunked")) {
        loop {
            let size = read_line(reader)?;
            let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                while !read_line(reader)?.is_empty() {}
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk).ok()?;
            body.extend_from_slice(&chunk);
            read_line(reader)?;
        }
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().ok()?;
        body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
    }
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}
