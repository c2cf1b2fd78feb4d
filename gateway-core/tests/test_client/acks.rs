//! Acks both ways: positional arguments, binary arguments, answering the server's
//! `emit_with_ack`, acks that come back out of order.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use socketioxide::extract::{AckSender, Data, SocketRef};
use socketioxide_gateway::testing::{Arg, IntoArgs, TestClient, TestClientError};

use crate::server::{base, echo_server, serve};

#[tokio::test]
async fn emit_with_ack_several_positional_args() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let ns = client.namespace("/", None).await.unwrap();

    let ack = ns.emit_with_ack("sum", (2, 40, "total")).await.unwrap();
    assert_eq!(
        ack,
        vec![
            Arg::Json(json!(42)),
            Arg::Json(json!("total")),
            Arg::Json(json!(true))
        ]
    );
    assert_eq!(
        ns.call("sum", (1_i64, 2.0_f64 as i64, String::from("x")))
            .await
            .unwrap(),
        json!(3)
    );

    // A JSON value is ONE argument, even an array.
    assert_eq!(
        ns.call("echo", json!([1, 2, 3])).await.unwrap(),
        json!([1, 2, 3])
    );
    assert_eq!(ns.call("echo", "plain").await.unwrap(), json!("plain"));
    let args = vec![Arg::from(json!({ "k": "v" }))];
    assert_eq!(ns.call("echo", args).await.unwrap(), json!({ "k": "v" }));
    assert_eq!((true, 1.5, "s", 7_u64).into_args().len(), 4);
}

#[tokio::test]
async fn binary_round_trip_both_directions() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on(
                "reverse",
                async |Data((name, data)): Data<(String, Bytes)>, ack: AckSender| {
                    let reversed: Vec<u8> = data.iter().rev().copied().collect();
                    ack.send(&(name, Bytes::from(reversed))).ok();
                },
            );
            s.on("binary-first", async |ack: AckSender| {
                ack.send(&Bytes::from_static(b"ab")).ok();
            });
            s.on("push", async |s: SocketRef| {
                let file = Bytes::from_static(&[0, 1, 2, 255]);
                s.emit(
                    "file",
                    &(json!({ "name": "f.bin" }), file, Bytes::from_static(b"xy")),
                )
                .ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();

    let ack = ns
        .emit_with_ack("reverse", ("blob", Bytes::from_static(b"hello")))
        .await
        .unwrap();
    assert_eq!(ack.len(), 2);
    assert_eq!(ack[0].as_json(), Some(&json!("blob")));
    assert_eq!(ack[1].as_binary().map(|b| b.as_ref()), Some(&b"olleh"[..]));

    // `call` refuses a binary first argument with a clear error.
    let err = ns.call("binary-first", ()).await.unwrap_err();
    assert!(
        matches!(&err, TestClientError::Unexpected(m) if m.contains("binary")),
        "{err:?}"
    );

    ns.emit("push", ()).await.unwrap();
    let event = ns.recv_event("file").await.unwrap();
    assert_eq!(event.json(0), Some(&json!({ "name": "f.bin" })));
    assert_eq!(
        event.binary(1).map(|b| b.as_ref()),
        Some(&[0u8, 1, 2, 255][..])
    );
    assert_eq!(event.binary(2).map(|b| b.as_ref()), Some(&b"xy"[..]));
    assert_eq!(event.attachments().len(), 2);
}

#[tokio::test]
async fn answering_a_server_emit_with_ack() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on("ask", async |s: SocketRef, Data(q): Data<Value>| {
                let answer = match s.emit_with_ack::<_, Value>("question", &q).unwrap().await {
                    Ok(v) => v,
                    Err(e) => json!({ "error": e.to_string() }),
                };
                s.emit("answer", &answer).ok();
            });
            s.on("ask-binary", async |s: SocketRef| {
                let answer = s
                    .emit_with_ack::<_, Bytes>("give-bytes", &())
                    .unwrap()
                    .await;
                s.emit("bytes-len", &answer.map(|b| b.len()).unwrap_or(0))
                    .ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();

    ns.emit("ask", json!({ "q": "meaning" })).await.unwrap();
    let question = ns.recv().await.unwrap();
    assert_eq!(question.event, "question");
    assert!(question.wants_ack());
    assert_eq!(question.json(0), Some(&json!({ "q": "meaning" })));
    question.ack(json!(42)).await.unwrap();
    let answer = ns.recv_event("answer").await.unwrap();
    assert_eq!(answer.json(0), Some(&json!(42)));

    ns.emit("ask-binary", ()).await.unwrap();
    let give = ns.recv_event("give-bytes").await.unwrap();
    give.ack(Bytes::from_static(b"12345")).await.unwrap();
    assert_eq!(
        ns.recv_event("bytes-len").await.unwrap().json(0),
        Some(&json!(5))
    );

    // Acking an event that did not ask for one is an error.
    ns.emit("ask", json!(1)).await.unwrap();
    ns.recv_event("question")
        .await
        .unwrap()
        .ack(json!(2))
        .await
        .unwrap();
    let answer = ns.recv_event("answer").await.unwrap();
    let err = answer.ack(()).await.unwrap_err();
    assert!(matches!(err, TestClientError::Unexpected(_)), "{err:?}");
}

#[tokio::test]
async fn concurrent_acks_from_several_tasks() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on(
                "slow-echo",
                async |Data((i, delay)): Data<(u64, u64)>, ack: AckSender| {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    ack.send(&i).ok();
                },
            );
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let ns = Arc::new(client.namespace("/", None).await.unwrap());

    // Later emits are answered first, so acks come back out of order.
    let tasks: Vec<_> = (0..10_u64)
        .map(|i| {
            let ns = Arc::clone(&ns);
            tokio::spawn(async move {
                let v = ns.call("slow-echo", (i, (10 - i) * 20)).await.unwrap();
                assert_eq!(v, json!(i));
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}
