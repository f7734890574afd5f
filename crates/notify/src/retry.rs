//! When to try a failed delivery again: exponential backoff with deterministic jitter, so the
//! server can compute and store the schedule, and the receiver's `Retry-After` honoured.

use std::time::Duration;

use crate::error::DeliveryError;

/// The longest `Retry-After` honoured; a receiver cannot park a message for longer.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(6 * 3600);

/// Retry schedule for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Delay before the second attempt, before jitter.
    pub base_delay: Duration,
    /// Upper bound of the backoff (a longer `Retry-After` still wins, up to
    /// [`MAX_RETRY_AFTER`]).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 8 attempts, 30 s doubling up to 1 h: about 2 h 30 min of retries.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The delay before the next attempt after attempt number `attempt` (1 for the first)
    /// failed with `error`, or `None` when the error is permanent or the attempts are used up.
    ///
    /// The backoff is `min(max_delay, base_delay * 2^(attempt-1))`; the delay is drawn from its
    /// upper half by a generator seeded with `seed` and `attempt` (same inputs, same delay),
    /// and is never shorter than the error's `retry_after`.
    pub fn next_attempt(&self, attempt: u32, error: &DeliveryError, seed: u64) -> Option<Duration> {
        if !error.is_retryable() || attempt >= self.max_attempts {
            return None;
        }
        let exponent = attempt.saturating_sub(1).min(32);
        let backoff = self
            .base_delay
            .checked_mul(1u32 << exponent.min(31))
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let millis = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX);
        let half = millis / 2;
        let jitter =
            splitmix64(seed ^ u64::from(attempt).wrapping_mul(0x9E37_79B9_7F4A_7C15)) % (half + 1);
        let delay = Duration::from_millis(millis - half + jitter);
        Some(match error.retry_after {
            Some(after) => delay.max(after.min(MAX_RETRY_AFTER)),
            None => delay,
        })
    }
}

/// SplitMix64: a tiny, well-mixed generator; one step per draw is enough for jitter.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ChannelKind;
    use crate::error::Failure;

    fn err(failure: Failure, retry_after: Option<u64>) -> DeliveryError {
        DeliveryError::new(ChannelKind::Webhook, failure, "x")
            .with_retry_after(retry_after.map(Duration::from_secs))
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(120),
        }
    }

    #[test]
    fn permanent_errors_are_not_retried() {
        for f in [
            Failure::Rejected,
            Failure::SignatureRejected,
            Failure::Config,
            Failure::InvalidNotification,
        ] {
            assert_eq!(policy().next_attempt(1, &err(f, None), 7), None, "{f:?}");
        }
    }

    #[test]
    fn stops_after_max_attempts() {
        let e = err(Failure::Network, None);
        assert!(policy().next_attempt(5, &e, 7).is_some());
        assert_eq!(policy().next_attempt(6, &e, 7), None);
        assert_eq!(policy().next_attempt(60, &e, 7), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_and_is_capped() {
        let e = err(Failure::ServerError, None);
        let p = RetryPolicy {
            max_attempts: 100,
            ..policy()
        };
        for seed in 0..200u64 {
            for attempt in 1..40u32 {
                let full = (10u64 << (attempt - 1).min(20)).min(120) * 1000;
                let d = p.next_attempt(attempt, &e, seed).unwrap().as_millis() as u64;
                assert!(
                    d >= full - full / 2 && d <= full,
                    "attempt {attempt} seed {seed}: {d} vs {full}"
                );
            }
        }
    }

    #[test]
    fn deterministic_for_a_seed_and_varied_across_seeds() {
        let e = err(Failure::Timeout, None);
        let a: Vec<_> = (1..6).map(|n| policy().next_attempt(n, &e, 42)).collect();
        let b: Vec<_> = (1..6).map(|n| policy().next_attempt(n, &e, 42)).collect();
        assert_eq!(a, b);
        let distinct: std::collections::BTreeSet<_> = (0..50)
            .map(|seed| policy().next_attempt(3, &e, seed))
            .collect();
        assert!(distinct.len() > 10, "jitter should vary with the seed");
    }

    #[test]
    fn honours_retry_after_up_to_the_cap() {
        let p = policy();
        assert_eq!(
            p.next_attempt(1, &err(Failure::RateLimited, Some(600)), 1),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            p.next_attempt(1, &err(Failure::RateLimited, Some(10 * 24 * 3600)), 1),
            Some(MAX_RETRY_AFTER)
        );
        // A short Retry-After does not shorten the backoff.
        let d = p
            .next_attempt(4, &err(Failure::RateLimited, Some(1)), 1)
            .unwrap();
        assert!(d >= Duration::from_secs(40));
    }
}
