//! A loopback listener that reads one request byte for byte and answers it as told: what
//! reaches the wire, with nothing between the client and the assertion that could add or
//! normalise a header.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// `METHOD /path?query HTTP/1.1`.
    pub request_line: String,
    /// Headers in wire order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, as long as `Content-Length` says (a chunked body is left unread).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Every value of the header `name` (any case), in wire order.
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of the header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).first().copied()
    }

    pub fn method(&self) -> &str {
        self.request_line.split(' ').next().unwrap_or_default()
    }

    /// The request target as sent: path and query, still encoded.
    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or_default()
    }

    /// The path as sent (still encoded).
    pub fn raw_path(&self) -> &str {
        self.target().split('?').next().unwrap_or_default()
    }

    /// The query as sent (still encoded), empty when there is none.
    pub fn raw_query(&self) -> &str {
        self.target().split_once('?').map_or("", |(_, q)| q)
    }
}

/// An answer: status, headers, body.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// `200` with a JSON body.
    pub fn json(body: &str) -> Answer {
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Accepts one connection, reads one request, answers `answer`, and returns what it read.
pub async fn capture_one(listener: TcpListener, answer: Answer) -> RawRequest {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the head ended");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = std::str::from_utf8(&buf[..head_end]).unwrap().to_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside the body");
        body.extend_from_slice(&chunk[..n]);
    }
    let mut response = format!("HTTP/1.1 {} X\r\n", answer.status);
    for (name, value) in &answer.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        answer.body.len()
    ));
    let mut bytes = response.into_bytes();
    bytes.extend_from_slice(&answer.body);
    stream.write_all(&bytes).await.unwrap();
    stream.shutdown().await.unwrap();
    RawRequest {
        request_line,
        headers,
        body,
    }
}
