//! A minimal HTTP/1.1 server on loopback for the runtime's tests and benchmarks.
//!
//! It keeps connections alive (so connection reuse is exercised), records every request,
//! verifies each signature independently ([`verify`]), rejects replayed nonces, and answers
//! whatever the test's handler decides: a response, a delayed response, or a reset.

#![allow(
    dead_code,
    reason = "each test binary and the benchmark use a different part"
)]

pub mod op;
pub mod verify;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// AccessKey pairs the server accepts.
pub const KEYS: [(&str, &str); 2] = [("test-ak", "test-sk"), ("STS.test-ak", "sts-test-sk")];

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The independent verifier's verdict: the access key id, or why it failed.
    pub signature: Result<String, String>,
    /// Which connection (in accept order) carried it.
    pub connection: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        verify::form_pairs(&self.raw_query).expect("query decodes")
    }

    pub fn form(&self) -> Vec<(String, String)> {
        verify::form_pairs(std::str::from_utf8(&self.body).expect("utf-8 body"))
            .expect("form decodes")
    }

    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, extra headers, body.
    Respond(u16, Vec<(String, String)>, Vec<u8>),
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
    /// Close the connection with a TCP reset, answering nothing.
    Reset,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond(
            status,
            vec![(
                "content-type".into(),
                "application/json;charset=utf-8".into(),
            )],
            body.as_bytes().to_vec(),
        )
    }

    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond(s, mut h, b) => {
                h.push((name.into(), value.into()));
                Reply::Respond(s, h, b)
            }
            other => other,
        }
    }
}

type Handler = dyn Fn(&Received, usize) -> Reply + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Received>>>,
}

impl TestServer {
    /// Starts a server; `handler` gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        Self::start_with(handler, true).await
    }

    /// A server that neither verifies nor records: for benchmarks, where both sides of a
    /// comparison must meet the same, cheapest possible server.
    pub async fn start_fast(
        handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        Self::start_with(handler, false).await
    }

    async fn start_with(
        handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
        checked: bool,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let nonces = Arc::new(Mutex::new(HashSet::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let (recorded, nonces, handler) =
                    (recorded.clone(), nonces.clone(), handler.clone());
                tokio::spawn(serve(
                    stream, connection, recorded, nonces, handler, checked,
                ));
                connection += 1;
            }
        });
        TestServer { addr, requests }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, String, Vec<(String, String)>, Vec<u8>)> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + length].to_vec();
    buf.drain(..body_start + length);
    Some((method, target, headers, body))
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    recorded: Arc<Mutex<Vec<Received>>>,
    nonces: Arc<Mutex<HashSet<String>>>,
    handler: Arc<Handler>,
    checked: bool,
) {
    let mut buf = Vec::new();
    while let Some((method, target, headers, body)) = read_request(&mut stream, &mut buf).await {
        let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
        if !checked {
            let received = Received {
                method,
                path: path.to_owned(),
                raw_query: raw_query.to_owned(),
                headers,
                body,
                signature: Err("not checked".to_owned()),
                connection,
            };
            if !respond(&mut stream, handler(&received, 0)).await {
                return;
            }
            continue;
        }
        let mut signature = verify::verify(
            &verify::Request {
                method: &method,
                path,
                raw_query,
                headers: &headers,
                body: &body,
            },
            |ak| {
                KEYS.iter()
                    .find(|(id, _)| *id == ak)
                    .map(|(_, sk)| sk.to_string())
            },
        );
        if let Some((_, nonce)) = headers.iter().find(|(n, _)| n == "x-acs-signature-nonce")
            && !nonces.lock().unwrap().insert(nonce.clone())
        {
            signature = Err(format!("SignatureNonceUsed: {nonce}"));
        }
        let received = Received {
            method,
            path: path.to_owned(),
            raw_query: raw_query.to_owned(),
            headers,
            body,
            signature,
            connection,
        };
        let index = {
            let mut all = recorded.lock().unwrap();
            all.push(received.clone());
            all.len() - 1
        };
        if !respond(&mut stream, handler(&received, index)).await {
            return;
        }
    }
}

/// Writes a reply; `false` when the connection is finished.
async fn respond(stream: &mut TcpStream, mut reply: Reply) -> bool {
    while let Reply::Delay(d, inner) = reply {
        tokio::time::sleep(d).await;
        reply = *inner;
    }
    match reply {
        Reply::Respond(status, extra, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
                reason(status),
                body.len()
            );
            for (n, v) in extra {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Reply::Reset => {
            // SO_LINGER 0 makes close send RST instead of FIN. The deprecation is about
            // a non-zero linger blocking on drop; a zero linger returns at once.
            #[expect(
                deprecated,
                reason = "zero linger does not block; it is how a test sends RST"
            )]
            let _ = stream.set_linger(Some(Duration::ZERO));
            false
        }
        Reply::Delay(..) => unreachable!("unwrapped above"),
    }
}
