//! The ACS store suite on SQLite, in memory and in a file; and a file reopened keeps
//! everything.

#[path = "support/store_suite.rs"]
mod suite;

use cwmp_examples::acs_store::{
    AcsStore, Outcome, RequeueOutcome, RpcState, SqliteStore, Store, StoreOptions,
};

mod memory {
    use super::*;

    async fn make(_test: &str) -> SqliteStore {
        SqliteStore::in_memory(suite::options()).unwrap()
    }

    store_suite!(make);
}

mod file {
    use super::*;

    async fn make(test: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("cwmp-acs-store-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // Through `Store::open`, as the ACS opens it.
        let path = dir.join("acs.sqlite");
        Store::open(path.to_str().unwrap(), suite::options())
            .await
            .unwrap()
    }

    store_suite!(make);
}

/// Everything written survives closing and reopening the file: devices, queued, in-flight
/// (put back by recovery), results and history.
#[tokio::test]
async fn reopened_file_keeps_everything() {
    let dir = tempdir("reopen");
    let path = dir.join("acs.sqlite");
    let (ids, answered) = {
        let s = SqliteStore::open(&path, StoreOptions::default()).unwrap();
        s.record_inform("dev-1", &suite::inform("SN1", &["1 BOOT"], &[]), "acs")
            .await
            .unwrap();
        let ids = s
            .enqueue(
                "dev-1",
                &[
                    suite::gpv("Device.A."),
                    suite::gpv("Device.B."),
                    suite::gpv("Device.C."),
                ],
            )
            .await
            .unwrap();
        let c = s
            .claim_next("dev-1", &suite::session("acs", 1))
            .await
            .unwrap()
            .unwrap();
        let answered = suite::gpv_response("Device.A.X", "42");
        s.complete(c.id, c.attempt, &Outcome::Response(answered.clone()))
            .await
            .unwrap();
        // In flight when the process "dies".
        s.claim_next("dev-1", &suite::session("acs", 1))
            .await
            .unwrap()
            .unwrap();
        (ids, answered)
    };
    let s = SqliteStore::open(&path, StoreOptions::default()).unwrap();
    let d = s.device("dev-1").await.unwrap().unwrap();
    assert_eq!(d.sessions, 1);
    assert_eq!(d.pending, 2);
    let done = s.finished("dev-1", None, 10).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].response.as_ref(), Some(&answered));
    assert_eq!(
        s.rpc(ids[1]).await.unwrap().unwrap().state,
        RpcState::InFlight
    );
    let back = s.recover_instance("acs").await.unwrap();
    assert_eq!(
        back,
        vec![(ids[1], RequeueOutcome::Requeued { attempts: 1 })]
    );
    let pending: Vec<_> = s
        .pending("dev-1")
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.state))
        .collect();
    assert_eq!(
        pending,
        vec![(ids[1], RpcState::Queued), (ids[2], RpcState::Queued)]
    );
    assert!(s.history("dev-1", None, 100).await.unwrap().entries.len() >= 7);
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cwmp-acs-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
