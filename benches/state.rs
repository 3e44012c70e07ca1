//! State at scale: the in-memory stores filled with a million users or message ids, their heap per
//! entry and their time per call.
//!
//! Run: `cargo bench --bench state`; it ends with a summary table. `-- --quick` skips criterion's
//! own estimates and prints only the table; `STATE_BENCH_ENTRIES=10000` fills each store with that
//! many entries instead of a million (everything then fits in the CPU caches).
//!
//! - Heap per entry: a counting global allocator around the system one records the bytes allocated
//!   minus the bytes freed while a store is filled (the keys are built beforehand), divided by the
//!   entries. It includes the stores' spare capacity at that size.
//! - Time per call: the stores are driven through their async trait with `block_on`, as
//!   synchronous code does, over the million entries in a shuffled order: the keys are copied in
//!   that order beforehand, so a key is at hand (as one just read from a webhook is) while the
//!   store's record of it is anywhere in memory (as a random user's is). The table gives the
//!   fastest of three passes over the million, in wall time and in time on the CPU (Linux's
//!   `/proc/thread-self/schedstat`), which leaves out the time other processes held the CPU.
//! - First checks of new message ids and records of new users (into the full deduplicator and
//!   window tracker, each evicting the oldest or least recently updated entry) sweep two sets of
//!   keys in turn, so that every call meets a key the store does not hold.
//! - Users carry a business-scoped user id and a phone number, as 2026 webhooks do; message ids
//!   have the length of real `wamid`s.

use criterion::Criterion;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hash::{Hash, Hasher};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker,
    Intent, OptOutStore, Source, UserKey, WindowTracker, block_on,
};

/// The system allocator, counting the bytes in use.
struct Counting;

static IN_USE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        IN_USE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Entries per store, unless `STATE_BENCH_ENTRIES` says otherwise.
const N: usize = 1_000_000;
const T0: u64 = 1_780_000_000;

/// A deterministic shuffle (xorshift), so runs compare.
fn shuffled(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    order
}

fn users(n: usize, from: usize) -> Vec<UserKey> {
    (from as u64..(from + n) as u64)
        .map(|i| {
            UserKey::user_id(format!("US.{}", 13_491_208_655_302_741_918 - i * 7_919))
                .with_phone(format!("1650{:07}", i))
        })
        .collect()
}

fn message_ids(n: usize, from: usize) -> Vec<DedupKey> {
    (from..from + n)
        .map(|i| DedupKey::message(format!("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz{i:016X}RgA=")))
        .collect()
}

/// Nanoseconds this thread has run on a CPU (0 where the kernel does not say).
fn on_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Wall and on-CPU nanoseconds per call of `calls` calls made by `run`.
fn timed(calls: usize, run: impl FnOnce()) -> Ns {
    let (start, cpu) = (Instant::now(), on_cpu_ns());
    run();
    Ns {
        wall: start.elapsed().as_nanos() as f64 / calls as f64,
        cpu: (on_cpu_ns() - cpu) as f64 / calls as f64,
    }
}

#[derive(Clone, Copy)]
struct Ns {
    wall: f64,
    cpu: f64,
}

impl Ns {
    const MAX: Self = Self {
        wall: f64::INFINITY,
        cpu: f64::INFINITY,
    };

    fn min(self, other: Self) -> Self {
        Self {
            wall: self.wall.min(other.wall),
            cpu: self.cpu.min(other.cpu),
        }
    }
}

/// Heap bytes per entry of what `fill` builds, and its time per call.
fn filled<T>(n: usize, fill: impl FnOnce() -> T) -> (T, f64, Ns) {
    let before = IN_USE.load(Ordering::Relaxed);
    let mut store = None;
    let ns = timed(n, || store = Some(fill()));
    let bytes = (IN_USE.load(Ordering::Relaxed) - before) as f64 / n as f64;
    (store.expect("filled"), bytes, ns)
}

/// `keys` in the order `order`, copied: at hand in memory in that order.
fn in_order<K: Clone>(keys: &[K], order: &[usize]) -> Vec<K> {
    order.iter().map(|&i| keys[i].clone()).collect()
}

/// The fastest of three passes of `op` over every key, per call. A pass goes over the keys as many
/// times as makes a million calls, so that the kernel's CPU time (counted in ticks) is measurable.
fn per_call<K>(keys: &[K], mut op: impl FnMut(&K) -> bool) -> Ns {
    let rounds = (N / keys.len().max(1)).max(1);
    (0..3)
        .map(|_| {
            timed(rounds * keys.len(), || {
                let mut n = 0;
                for _ in 0..rounds {
                    for k in keys {
                        n += usize::from(op(k));
                    }
                }
                black_box(n);
            })
        })
        .fold(Ns::MAX, Ns::min)
}

/// Per call, the fastest of three timings of `op` over `a`, then `b`, then `a` again and so on (as
/// many sweeps as make a million calls each time, the alternation going on from one timing to the
/// next): when each sweep evicts the set swept before it, every call meets a key the store does not
/// hold. Also gives the number of sweeps made, whose parity says which set the store holds.
fn alternating<K>(a: &[K], b: &[K], mut op: impl FnMut(&K) -> bool) -> (Ns, usize) {
    let rounds = (N / a.len().max(1)).max(1);
    let mut sweeps = 0;
    let ns = (0..3)
        .map(|_| {
            timed(rounds * a.len(), || {
                let mut n = 0;
                for _ in 0..rounds {
                    let keys = if sweeps % 2 == 0 { a } else { b };
                    sweeps += 1;
                    for k in keys {
                        n += usize::from(op(k));
                    }
                }
                black_box(n);
            })
        })
        .fold(Ns::MAX, Ns::min);
    (ns, sweeps)
}

/// Nanoseconds per read of a pointer chase over `bytes` of memory: each read's address is the value
/// the read before it returned, along one cycle through every line of the buffer in a shuffled
/// order, so every read waits for a cache miss the way a store's lookup of a random key does.
/// It gives this machine's price of one miss at the stores' sizes, to read the table against.
fn chase(bytes: usize) -> f64 {
    // One `usize` per 64-byte line, so that consecutive reads never share a line.
    const STRIDE: usize = 64 / std::mem::size_of::<usize>();
    let lines = bytes / 64;
    let mut next = vec![0usize; lines * STRIDE];
    let order = shuffled(lines);
    for (i, &line) in order.iter().enumerate() {
        next[line * STRIDE] = order[(i + 1) % lines] * STRIDE;
    }
    let reads = 5_000_000;
    let mut at = 0;
    let start = Instant::now();
    for _ in 0..reads {
        at = next[at];
    }
    black_box(at);
    start.elapsed().as_nanos() as f64 / reads as f64
}

/// A hasher that only adds up the bytes it is given: hashing a key with it reads the key and
/// little else.
#[derive(Default)]
struct ByteSum(u64);

impl Hasher for ByteSum {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.wrapping_add(u64::from(*b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The bench's own cost per call: a pass over `keys` that reads every key and calls no store.
fn reading<K: Hash>(keys: &[K]) -> Ns {
    per_call(keys, |k| {
        let mut sum = ByteSum::default();
        k.hash(&mut sum);
        sum.finish() & 1 == 0
    })
}

struct Row {
    store: String,
    bytes: f64,
    calls: Vec<(&'static str, Ns)>,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    let n: usize = std::env::var("STATE_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(N);
    let scale = if n == N {
        "1 M".to_owned()
    } else {
        n.to_string()
    };
    let order = shuffled(n);
    let check = |d: &InMemoryDeduplicator, k: &DedupKey, now: u64| {
        block_on(d.check_or_first(k, now)).is_first()
    };
    let mut rows = Vec::new();

    // Deduplicator: a million message ids, then first checks of new ids into the full store (each
    // evicts the oldest) and checks of remembered ones.
    let keys = message_ids(n, 0);
    let fresh = message_ids(n, n);
    let (dedup, bytes, fill_ns) = filled(n, || {
        let d = InMemoryDeduplicator::new(n, InMemoryDeduplicator::DEFAULT_MAX_AGE_SECS);
        for k in &keys {
            black_box(check(&d, k, T0));
        }
        d
    });
    assert_eq!(dedup.len(), n);
    let duplicate = per_call(&in_order(&keys, &order), |k| !check(&dedup, k, T0 + 1));
    let read_keys = reading(&fresh);
    // Each sweep checks every id of one set into a store holding the other: all are first checks.
    let (first_ns, sweeps) = alternating(&fresh, &keys, |k| check(&dedup, k, T0 + 2));
    if !quick {
        // Go on with the set the store does not hold.
        let mut i = sweeps * n;
        criterion.bench_function("dedup_first_check_at_1m", |b| {
            b.iter(|| {
                // Alternating between the two sets of ids: each check evicts an id checked a million
                // checks earlier, so every check is a first one.
                let k = if (i / n).is_multiple_of(2) {
                    &fresh[i % n]
                } else {
                    &keys[i % n]
                };
                i += 1;
                check(&dedup, k, T0 + 3)
            })
        });
    }
    rows.push(Row {
        store: format!("InMemoryDeduplicator, {scale} message ids"),
        bytes,
        calls: vec![
            ("first check while filling", fill_ns),
            ("first check when full (evicts the oldest)", first_ns),
            ("duplicate check when full", duplicate),
            ("(the bench reading the keys alone)", read_keys),
        ],
    });
    drop((dedup, keys, fresh));

    // Window tracker: a million users, then records and states of known users and records of new
    // ones.
    let people = users(n, 0);
    let newcomers = in_order(&users(n, n), &order);
    let probe = in_order(&people, &order);
    let (tracker, bytes, fill_ns) = filled(n, || {
        let t = InMemoryWindowTracker::new(n);
        for u in &people {
            block_on(t.record_inbound(u, T0)).expect("in memory");
        }
        t
    });
    assert_eq!(tracker.len(), n);
    let record = per_call(&probe, |u| {
        block_on(tracker.record_inbound(u, T0 + 60)).is_ok()
    });
    let state = per_call(&probe, |u| {
        block_on(tracker.state(u, T0 + 120)).is_ok_and(|s| s.allows_free_form())
    });
    let read_keys = reading(&probe);
    if !quick {
        let mut i = 0;
        criterion.bench_function("window_record_at_1m", |b| {
            b.iter(|| {
                i += 1;
                block_on(tracker.record_inbound(&probe[i % n], T0 + 180))
            })
        });
        criterion.bench_function("window_state_at_1m", |b| {
            b.iter(|| {
                i += 1;
                block_on(tracker.state(&probe[i % n], T0 + 240))
            })
        });
    }
    // Records of users the full tracker does not hold, each evicting the least recently updated:
    // the newcomers, then the first million again (evicted by then), then the newcomers again.
    let (newcomer_ns, _) = alternating(&newcomers, &probe, |u| {
        block_on(tracker.record_inbound(u, T0 + 300)).is_ok()
    });
    assert_eq!(tracker.len(), n);
    rows.push(Row {
        store: format!("InMemoryWindowTracker, {scale} users"),
        bytes,
        calls: vec![
            ("record (new user) while filling", fill_ns),
            ("record when full", record),
            ("record of a new user when full (evicts)", newcomer_ns),
            ("state when full", state),
            ("(the bench reading the keys alone)", read_keys),
        ],
    });
    drop(tracker);

    // Opt-out store: a million users, then records and statuses of known users.
    let (opt_out, bytes, fill_ns) = filled(n, || {
        let s = InMemoryOptOutStore::new();
        for u in &people {
            block_on(s.record(u, Intent::OptOut, Source::Keyword, T0)).expect("in memory");
        }
        s
    });
    assert_eq!(opt_out.len(), n);
    let record = per_call(&probe, |u| {
        block_on(opt_out.record(u, Intent::Resume, Source::Keyword, T0 + 60)).is_ok()
    });
    let status = per_call(&probe, |u| {
        block_on(opt_out.is_opted_out(u)).is_ok_and(|o| !o)
    });
    if !quick {
        let mut i = 0;
        criterion.bench_function("opt_out_record_at_1m", |b| {
            b.iter(|| {
                i += 1;
                block_on(opt_out.record(&probe[i % n], Intent::OptOut, Source::Keyword, T0 + 120))
            })
        });
    }
    rows.push(Row {
        store: format!("InMemoryOptOutStore, {scale} users"),
        bytes,
        calls: vec![
            ("record (new user) while filling", fill_ns),
            ("record when full", record),
            ("is_opted_out when full", status),
        ],
    });

    if !quick {
        criterion.final_summary();
    }
    // After the stores, so that their figures and these come from the same minutes.
    let misses = [16, 96].map(|mb| (mb, chase(mb << 20)));
    println!("\n| store | heap per entry | call | time per call | on the CPU |");
    println!("|---|---|---|---|---|");
    for row in &rows {
        for (n, (call, ns)) in row.calls.iter().enumerate() {
            let (store, bytes) = if n == 0 {
                (row.store.as_str(), format!("{:.1} B", row.bytes))
            } else {
                ("", String::new())
            };
            println!(
                "| {store} | {bytes} | {call} | {:.0} ns | {:.0} ns |",
                ns.wall, ns.cpu
            );
        }
    }
    for (mb, ns) in misses {
        println!(
            "| (this machine: one dependent read over a random {mb} MB cycle) | | | {ns:.0} ns | |"
        );
    }
}
