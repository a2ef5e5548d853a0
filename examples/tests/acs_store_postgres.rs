//! The ACS store suite on a real PostgreSQL, and two store handles (two ACS instances) racing
//! on one database.
//!
//! These tests are `#[ignore]`d in a plain `cargo test`: `.ci/steps/33-postgres.sh` starts a
//! throwaway PostgreSQL cluster, exports its URL as `CWMP_TEST_PG_URL` and runs them with
//! `--ignored`. Run that way without the variable they fail: they never skip themselves.

#[path = "support/store_suite.rs"]
mod suite;

use std::collections::BTreeSet;

use cwmp_examples::acs_store::{
    AcsStore, Outcome, PgStore, RpcState, Store, StoreError, StoreOptions,
};

fn url() -> String {
    std::env::var("CWMP_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("CWMP_TEST_PG_URL is not set: start PostgreSQL with .ci/steps/33-postgres.sh")
    })
}

/// A schema of its own per test (and per run), so tests never see each other's rows.
fn schema(test: &str) -> String {
    format!("t{}_{test}", std::process::id())
}

async fn open(test: &str, options: StoreOptions) -> PgStore {
    let options = StoreOptions {
        pg_schema: Some(schema(test)),
        ..options
    };
    PgStore::connect(&url(), options).await.unwrap()
}

mod suite_on_postgres {
    use super::*;

    async fn make(test: &str) -> PgStore {
        open(test, suite::options()).await
    }

    store_suite!(make, #[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]);
}

/// `Store::open` picks PostgreSQL for a `postgres://` URL.
#[tokio::test]
#[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]
async fn open_by_url() {
    let store = Store::open(
        &url(),
        StoreOptions {
            pg_schema: Some(schema("open_by_url")),
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(store.kind(), "postgres");
    store
        .record_inform("d", &suite::inform("S", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    assert!(store.device("d").await.unwrap().is_some());
    assert!(matches!(
        PgStore::connect(
            &url(),
            StoreOptions {
                pg_schema: Some("Bad; DROP".into()),
                ..StoreOptions::default()
            }
        )
        .await,
        Err(StoreError::InvalidSchema(_))
    ));
}

/// Two handles with their own pools (two ACS instances) claim one device's queue at the same
/// time: every RPC is claimed by exactly one of them and completed exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]
async fn two_writers_claim_each_rpc_once() {
    const N: usize = 200;
    let options = StoreOptions {
        queue_limit: 10_000,
        ..StoreOptions::default()
    };
    let a = open("two_writers", options.clone()).await;
    let b = open("two_writers", options).await;
    a.record_inform("shared", &suite::inform("SH", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let requests: Vec<_> = (0..N)
        .map(|i| suite::gpv(&format!("Device.N{i}.")))
        .collect();
    let ids = a.enqueue("shared", &requests).await.unwrap();

    async fn drain(store: PgStore, instance: &'static str) -> Vec<i64> {
        let mut claimed = Vec::new();
        let session = suite::session(instance, 1);
        while let Some(c) = store.claim_next("shared", &session).await.unwrap() {
            store
                .complete(
                    c.id,
                    c.attempt,
                    &Outcome::Response(suite::gpv_response("Device.X", instance)),
                )
                .await
                .unwrap();
            claimed.push(c.id);
        }
        claimed
    }
    let (ra, rb) = tokio::join!(
        tokio::spawn(drain(a.clone(), "a")),
        tokio::spawn(drain(b.clone(), "b"))
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    let sa: BTreeSet<i64> = ra.iter().copied().collect();
    let sb: BTreeSet<i64> = rb.iter().copied().collect();
    assert_eq!(sa.len(), ra.len(), "a claimed an RPC twice");
    assert_eq!(sb.len(), rb.len(), "b claimed an RPC twice");
    assert!(sa.is_disjoint(&sb), "an RPC was claimed by both");
    let all: BTreeSet<i64> = sa.union(&sb).copied().collect();
    assert_eq!(all, ids.iter().copied().collect::<BTreeSet<_>>());

    // Visible from either handle: every RPC done once, with the answer of its claimer.
    let mut done = Vec::new();
    let mut after = None;
    loop {
        let page = b.finished("shared", after, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        done.extend(page);
    }
    assert_eq!(done.len(), N);
    for r in &done {
        assert_eq!(r.state, RpcState::Done);
        assert_eq!(r.attempts, 1);
        let by_a = sa.contains(&r.id);
        let holder = r.session.as_ref().unwrap().instance.as_str();
        assert_eq!(holder, if by_a { "a" } else { "b" });
    }
    let sent = a
        .history("shared", None, 1000)
        .await
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.event.kind() == "sent")
        .count();
    assert_eq!(sent, N);
}

/// Two handles enqueueing to one device at the same time never exceed its queue limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]
async fn two_writers_respect_the_queue_limit() {
    let options = StoreOptions {
        queue_limit: 25,
        ..StoreOptions::default()
    };
    let a = open("two_limit", options.clone()).await;
    let b = open("two_limit", options).await;
    a.record_inform("lim", &suite::inform("L", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    async fn fill(store: PgStore) -> usize {
        let mut accepted = 0;
        for i in 0..40 {
            match store
                .enqueue("lim", &[suite::gpv(&format!("Device.Q{i}."))])
                .await
            {
                Ok(_) => accepted += 1,
                Err(StoreError::QueueFull { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        accepted
    }
    let (x, y) = tokio::join!(tokio::spawn(fill(a.clone())), tokio::spawn(fill(b.clone())));
    assert_eq!(x.unwrap() + y.unwrap(), 25);
    assert_eq!(a.pending("lim").await.unwrap().len(), 25);
}

/// The digest secret stored by the first instance is the one the second gets.
#[tokio::test]
#[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]
async fn shared_secret_across_instances() {
    let a = open("secret", StoreOptions::default()).await;
    let b = open("secret", StoreOptions::default()).await;
    let (x, y) = tokio::join!(
        a.shared_secret("digest", &[7u8; 32]),
        b.shared_secret("digest", &[9u8; 32])
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x, y);
    assert!(x == vec![7u8; 32] || x == vec![9u8; 32]);
}
