//! The audit chain: each event's hash covers every field of it and the previous event's hash,
//! so editing or deleting any stored event breaks the chain from there on.

use sha2::{Digest, Sha256};

use crate::store::{AuditEvent, Store};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// JSON text with object keys sorted at every level and no whitespace, so the same value always
/// hashes the same whatever map order a serializer used.
pub fn canonical_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 over the length-prefixed fields of `e` (its own `hash` excluded), `prev_hash` last.
pub fn event_hash(e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    let mut part = |tag: u8, bytes: Option<&[u8]>| {
        h.update([tag]);
        match bytes {
            Some(b) => {
                h.update([1]);
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
            None => h.update([0]),
        }
    };
    part(b'i', Some(&e.id.to_be_bytes()));
    part(b't', Some(&e.at.to_be_bytes()));
    part(b'a', Some(e.actor.as_bytes()));
    part(b'c', Some(e.action.as_bytes()));
    part(b'o', Some(e.object_type.as_bytes()));
    part(b'd', Some(e.object_id.as_bytes()));
    part(b'b', e.before.as_deref().map(str::as_bytes));
    part(b'f', e.after.as_deref().map(str::as_bytes));
    part(b'p', Some(e.prev_hash.as_bytes()));
    super::hex(&h.finalize())
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit event {id}: {why}")]
pub struct Tamper {
    /// The first event that does not check out (for a deleted event, its id).
    pub id: i64,
    pub why: String,
}

/// Checks the chain: ids consecutive from 1, each hash recomputed, each `prev_hash` the previous
/// event's hash, and the last event the one the chain head names. Returns the number of events.
pub fn verify(events: &[AuditEvent], head: &(i64, String)) -> Result<usize, Tamper> {
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    for e in events {
        if e.id != expected_id {
            return Err(Tamper {
                id: expected_id,
                why: if e.id > expected_id {
                    format!(
                        "missing (deleted): the log jumps from {} to {}",
                        expected_id - 1,
                        e.id
                    )
                } else {
                    format!("out of sequence (found id {})", e.id)
                },
            });
        }
        if e.prev_hash != prev {
            return Err(Tamper {
                id: e.id,
                why: "its prev_hash is not the previous event's hash (an earlier event was \
                      changed or replaced)"
                    .into(),
            });
        }
        let h = event_hash(e);
        if h != e.hash {
            return Err(Tamper {
                id: e.id,
                why: "its content does not match its hash (edited)".into(),
            });
        }
        prev = h;
        expected_id += 1;
    }
    let last = expected_id - 1;
    if head.0 != last {
        return Err(Tamper {
            id: last + 1,
            why: format!(
                "missing (deleted): the chain head records {} events, the log holds {last}",
                head.0
            ),
        });
    }
    if head.1 != prev {
        return Err(Tamper {
            id: last,
            why: "the chain head's hash does not match the last event (edited)".into(),
        });
    }
    Ok(events.len())
}

/// Reads the whole log and verifies it.
pub async fn verify_store(
    store: &Store,
) -> Result<Result<usize, Tamper>, crate::store::StoreError> {
    let (events, head) = store.audit_log().await?;
    Ok(verify(&events, &head))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> (Vec<AuditEvent>, (i64, String)) {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for id in 1..=n {
            let mut e = AuditEvent {
                id,
                at: 1_700_000_000_000 + id,
                actor: "ada@example.org".into(),
                action: "project.create".into(),
                object_type: "project".into(),
                object_id: id.to_string(),
                before: None,
                after: Some(format!("{{\"id\":{id}}}")),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = event_hash(&e);
            prev = e.hash.clone();
            out.push(e);
        }
        (out, (n, prev))
    }

    #[test]
    fn an_intact_chain_verifies_and_every_tampering_is_named() {
        let (events, head) = chain(4);
        assert_eq!(verify(&events, &head), Ok(4));

        let mut edited = events.clone();
        edited[1].actor = "mallory".into();
        assert_eq!(verify(&edited, &head).unwrap_err().id, 2);

        let mut deleted = events.clone();
        deleted.remove(2);
        let e = verify(&deleted, &head).unwrap_err();
        assert_eq!(e.id, 3);
        assert!(e.why.contains("deleted"), "{e}");

        let mut tail = events.clone();
        tail.pop();
        let e = verify(&tail, &head).unwrap_err();
        assert_eq!(e.id, 4);

        // Rewriting an event together with its own hash still breaks the next link.
        let mut rehashed = events.clone();
        rehashed[0].after = Some("{}".into());
        rehashed[0].hash = event_hash(&rehashed[0]);
        assert_eq!(verify(&rehashed, &head).unwrap_err().id, 2);
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"b": [ {"z": 1, "a": 2} ], "a": null}"#).unwrap();
        assert_eq!(canonical_json(&v), r#"{"a":null,"b":[{"a":2,"z":1}]}"#);
    }
}
