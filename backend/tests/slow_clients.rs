//! Slow and silent clients against the real server loop (`backend::server`) on loopback, with
//! limits of a second or two instead of the defaults: each is cut off, and others are served
//! meanwhile; past the connection cap a new connection gets a 503 at once.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use backend::server::{Limits, serve};
use common::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Long enough for any of the limits below to have cut a client off several times over.
const BOUND: Duration = Duration::from_secs(15);

async fn start(max_connections: usize) -> (TestApp, SocketAddr) {
    let app = TestApp::spawn();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = Limits {
        header_read: Duration::from_secs(1),
        body_read: Duration::from_secs(1),
        idle: Duration::from_secs(1),
        max_connections,
    };
    let router = app.router.clone();
    tokio::spawn(serve(listener, router, limits, std::future::pending()));
    (app, addr)
}

/// Reads until the server closes the connection; what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = timeout(BOUND, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&out).into_owned()
}

/// A whole request on a new connection; the status line's code.
async fn healthz(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = until_closed(&mut s).await;
    answer.split(' ').nth(1).unwrap_or("").to_owned()
}

#[tokio::test]
async fn slow_and_silent_clients_are_cut_off_and_others_are_served_meanwhile() {
    let (_app, addr) = start(64).await;

    // Half a request line, then nothing (issue #14: open for 150 s and more).
    let mut half_line = TcpStream::connect(addr).await.unwrap();
    half_line.write_all(b"GET /heal").await.unwrap();
    // Connected, silent.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // Headers, then half the body they announce.
    let mut half_body = TcpStream::connect(addr).await.unwrap();
    half_body
        .write_all(
            b"POST /api/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
              content-length: 60\r\n\r\n{\"username\":",
        )
        .await
        .unwrap();
    // Headers one byte at a time, slower than the header limit allows in total.
    let mut trickle = TcpStream::connect(addr).await.unwrap();
    let trickling = tokio::spawn(async move {
        for b in b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n" {
            if trickle.write_all(&[*b]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let mut buf = [0u8; 64];
        // Cut off before the last byte: the write fails or the read sees the close.
        matches!(trickle.read(&mut buf).await, Ok(0) | Err(_))
    });

    // Meanwhile everyone else is served.
    assert_eq!(healthz(addr).await, "200");

    until_closed(&mut half_line).await;
    until_closed(&mut silent).await;
    let answer = until_closed(&mut half_body).await;
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a body that stalls: {answer:?}"
    );
    assert!(answer.contains("body_timeout"), "{answer}");
    assert!(
        timeout(BOUND, trickling).await.unwrap().unwrap(),
        "a header trickle is cut off"
    );

    // A kept-alive connection that sends nothing more is closed too.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = until_closed(&mut kept).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn past_the_connection_cap_a_new_connection_gets_a_clear_503() {
    let (_app, addr) = start(3).await;
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /").await.unwrap();
        stalled.push(s);
    }
    // Let the server take the three before the fourth comes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut over = TcpStream::connect(addr).await.unwrap();
    over.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = until_closed(&mut over).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    assert!(answer.contains("retry-after: 5"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error"], "busy");

    // The stalled ones are cut off in time, and the server is open to everyone again.
    for s in &mut stalled {
        until_closed(s).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(healthz(addr).await, "200");
}
