//! Time for retries and pacing: the [`Timer`] trait, the real [`SystemTimer`] and the virtual
//! [`ManualTimer`] for tests that must never really sleep.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A future returned by [`Timer::sleep_until`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The clock and sleeper the client waits with between attempts and paced sends.
///
/// Times are [`Duration`]s since an origin the timer chooses (the same origin for `now` and every
/// deadline). The default is [`SystemTimer`]; tests plug in [`ManualTimer`] or their own.
pub trait Timer: Send + Sync + 'static {
    /// The current time since the timer's origin; never goes backwards.
    fn now(&self) -> Duration;

    /// Completes once `now()` has reached `deadline` (used by the async client).
    fn sleep_until(&self, deadline: Duration) -> Sleep;

    /// Blocks the thread until `now()` has reached `deadline` (used by the blocking client).
    ///
    /// The default sleeps the thread for the remaining time; virtual timers override it.
    fn sleep_until_blocking(&self, deadline: Duration) {
        let wait = deadline.saturating_sub(self.now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

/// Real time: tokio's clock and `tokio::time::sleep_until`, or `std::thread::sleep` when blocking.
///
/// Tokio's clock is used so that `tokio::time::pause()` affects it too.
#[derive(Debug, Clone, Copy)]
pub struct SystemTimer {
    origin: tokio::time::Instant,
}

impl SystemTimer {
    /// A timer whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Default for SystemTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl Timer for SystemTimer {
    fn now(&self) -> Duration {
        tokio::time::Instant::now().saturating_duration_since(self.origin)
    }

    fn sleep_until(&self, deadline: Duration) -> Sleep {
        // A deadline beyond what an Instant can hold is as good as "never" (about 30 years).
        let at = self.origin.checked_add(deadline).unwrap_or_else(|| {
            tokio::time::Instant::now() + Duration::from_secs(30 * 365 * 86_400)
        });
        Box::pin(tokio::time::sleep_until(at))
    }

    fn sleep_until_blocking(&self, deadline: Duration) {
        let wait = deadline.saturating_sub(self.now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

/// Virtual time for tests: sleeping moves the clock forward at once and records the wait.
///
/// Clones share one clock. Deadlines from concurrent sleepers overlap as they would in real time:
/// two tasks sleeping until 10 ms and 20 ms leave the clock at 20 ms, not 30 ms.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::client::{ManualTimer, Timer};
///
/// let timer = ManualTimer::new();
/// timer.sleep_until_blocking(Duration::from_millis(500));
/// timer.advance(Duration::from_secs(1));
/// assert_eq!(timer.now(), Duration::from_millis(1500));
/// assert_eq!(timer.sleeps(), vec![Duration::from_millis(500)]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualTimer {
    state: Arc<Mutex<ManualState>>,
}

#[derive(Debug, Default)]
struct ManualState {
    now: Duration,
    sleeps: Vec<Duration>,
}

impl ManualTimer {
    /// A virtual clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward without recording a sleep.
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.now = state.now.saturating_add(by);
    }

    /// Every wait slept so far (deadline minus the time it was asked at), oldest first.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// The sum of all waits slept so far.
    pub fn total_slept(&self) -> Duration {
        self.lock().sleeps.iter().sum()
    }

    fn lock(&self) -> MutexGuard<'_, ManualState> {
        // A panic elsewhere while holding the lock leaves plain data behind: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn jump(&self, deadline: Duration) {
        let mut state = self.lock();
        let wait = deadline.saturating_sub(state.now);
        state.sleeps.push(wait);
        state.now = state.now.max(deadline);
    }
}

impl Timer for ManualTimer {
    fn now(&self) -> Duration {
        self.lock().now
    }

    fn sleep_until(&self, deadline: Duration) -> Sleep {
        self.jump(deadline);
        Box::pin(std::future::ready(()))
    }

    fn sleep_until_blocking(&self, deadline: Duration) {
        self.jump(deadline);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_sleeps_do_not_add_up() {
        let t = ManualTimer::new();
        let a = t.sleep_until(Duration::from_millis(10));
        let b = t.sleep_until(Duration::from_millis(20));
        drop((a, b));
        t.sleep_until_blocking(Duration::from_millis(15));
        assert_eq!(t.now(), Duration::from_millis(20));
        assert_eq!(t.sleeps(), [10, 10, 0].map(Duration::from_millis).to_vec());
    }

    #[tokio::test(start_paused = true)]
    async fn system_timer_follows_tokio_time() {
        let t = SystemTimer::new();
        t.sleep_until(Duration::from_secs(5)).await;
        assert!(t.now() >= Duration::from_secs(5));
    }
}
