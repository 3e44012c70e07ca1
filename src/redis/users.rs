//! [`RedisWindowTracker`] and [`RedisOptOutStore`]: the user records of a namespace, read with
//! one script and changed with a compare-and-set script (see [`super::record`] for the layout).

use super::connection::Shared;
use super::record::{Model, Record, Ttl, Writes, bucket_of, phone_field, user_field};
use crate::policy::{
    BoxFuture, Intent, OptOutRecord, OptOutStore, Source, StoreError, UserKey, Window,
    WindowTracker, unix_seconds,
};
use std::sync::{Arc, LazyLock};

/// Shared by both scripts: the bucket of a field and an entry's value unless it has expired.
const PRELUDE: &str = r"
local prefix, nb = ARGV[1], tonumber(ARGV[2])
local now = tonumber(redis.call('TIME')[1])
local function bucket(f)
  local h = 0
  for i = 1, #f do h = (h * 31 + string.byte(f, i)) % 2147483647 end
  return prefix .. (h % nb)
end
local function expiry(v)
  return tonumber(string.match(v, '^[0-9a-z]*'), 36)
end
local function get(f)
  local v = redis.call('HGET', bucket(f), f)
  if not v then return '' end
  local exp = expiry(v)
  if exp == nil or exp <= now then return '' end
  return v
end
";

/// Reads the given fields and the ones they lead to (an alias's record, a record's phone alias).
/// Answers `field, value, ...` with `''` for an absent or expired entry.
const READ: &str = r"
local out, seen, queue = {}, {}, {}
for i = 3, #ARGV do queue[#queue + 1] = ARGV[i] end
local i = 1
while i <= #queue and i <= 16 do
  local f = queue[i]
  if not seen[f] then
    seen[f] = true
    local v = get(f)
    out[#out + 1] = f
    out[#out + 1] = v
    local target = string.match(v, '^[0-9a-z]*@(.*)$')
    if target then queue[#queue + 1] = target end
    local phone = string.match(v, '^[0-9a-z]*;([^;]+);')
    if phone then queue[#queue + 1] = '+' .. phone end
  end
  i = i + 1
end
return out
";

/// ARGV: prefix, buckets, n, n pairs (field, expected value) then pairs (field, new value), `''`
/// meaning absent / delete. Writes only when every expected value still holds (answers 1, else 0),
/// then sweeps the expired entries of the buckets it wrote and sets each bucket's expiry to its
/// latest entry's.
const WRITE: &str = r"
local n = tonumber(ARGV[3])
for i = 0, n - 1 do
  if get(ARGV[4 + 2 * i]) ~= ARGV[5 + 2 * i] then return 0 end
end
local touched = {}
for i = 4 + 2 * n, #ARGV, 2 do
  local f, v = ARGV[i], ARGV[i + 1]
  local b = bucket(f)
  touched[b] = true
  if v == '' then redis.call('HDEL', b, f) else redis.call('HSET', b, f, v) end
end
for b in pairs(touched) do
  local all = redis.call('HGETALL', b)
  local latest = 0
  for j = 1, #all, 2 do
    local exp = expiry(all[j + 1])
    if exp == nil or exp <= now then
      redis.call('HDEL', b, all[j])
    elseif exp > latest then
      latest = exp
    end
  end
  if latest > 0 then redis.call('EXPIREAT', b, latest) end
end
return 1
";

static READ_SCRIPT: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(&format!("{PRELUDE}{READ}")));
static WRITE_SCRIPT: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(&format!("{PRELUDE}{WRITE}")));

/// How often a change is tried again when another replica changed the same user in between.
const MAX_TRIES: usize = 32;

/// The user records of a namespace.
#[derive(Clone, Debug)]
struct Users {
    shared: Arc<Shared>,
}

impl Users {
    fn first_bucket(&self, fields: &[String]) -> String {
        let field = fields.first().map_or("", String::as_str);
        format!(
            "{}{}",
            self.shared.keys.user_buckets(),
            bucket_of(field, self.shared.buckets)
        )
    }

    fn key_fields(keys: &[&UserKey]) -> Vec<String> {
        keys.iter()
            .flat_map(|k| [user_field(k), phone_field(k)])
            .flatten()
            .collect()
    }

    async fn fetch(&self, fields: &[String]) -> Result<Model, StoreError> {
        let mut invocation = READ_SCRIPT.prepare_invoke();
        invocation
            .key(self.first_bucket(fields))
            .arg(self.shared.keys.user_buckets())
            .arg(self.shared.buckets);
        for f in fields {
            invocation.arg(f);
        }
        let mut conn = self.shared.conn.clone();
        let flat: Vec<String> = self
            .shared
            .call("reading a user", invocation.invoke_async(&mut conn))
            .await?;
        let mut pairs = Vec::with_capacity(flat.len() / 2);
        let mut it = flat.into_iter();
        while let (Some(f), Some(v)) = (it.next(), it.next()) {
            pairs.push((f, v));
        }
        Model::new(pairs).map_err(|e| StoreError::new(format!("reading a user record: {e}")))
    }

    /// Runs `plan` on a model holding every entry it needs, fetching more when it asks.
    async fn model(
        &self,
        keys: &[&UserKey],
        plan: &(dyn Fn(&mut Model) + Sync),
    ) -> Result<Model, StoreError> {
        let mut fields = Self::key_fields(keys);
        for _ in 0..4 {
            let mut model = self.fetch(&fields).await?;
            plan(&mut model);
            if model.missing.is_empty() {
                return Ok(model);
            }
            fields.extend(std::mem::take(&mut model.missing));
        }
        Err(StoreError::new(format!(
            "reading user records {fields:?}: the entries kept changing"
        )))
    }

    async fn write(&self, expected: Writes, writes: Writes) -> Result<bool, StoreError> {
        let fields: Vec<String> = writes.iter().map(|(f, _)| f.clone()).collect();
        let mut invocation = WRITE_SCRIPT.prepare_invoke();
        invocation
            .key(self.first_bucket(&fields))
            .arg(self.shared.keys.user_buckets())
            .arg(self.shared.buckets)
            .arg(expected.len());
        for (f, v) in expected.iter().chain(&writes) {
            invocation.arg(f).arg(v.as_deref().unwrap_or(""));
        }
        let mut conn = self.shared.conn.clone();
        let applied: i64 = self
            .shared
            .call("writing a user", invocation.invoke_async(&mut conn))
            .await?;
        Ok(applied == 1)
    }

    /// Applies `plan` atomically: read, plan, write if nothing changed in between, else again.
    async fn change(
        &self,
        keys: &[&UserKey],
        plan: &(dyn Fn(&mut Model) + Sync),
    ) -> Result<(), StoreError> {
        let ttl = Ttl {
            window_margin: self.shared.window_margin,
            opt_out: self.shared.opt_out_ttl,
        };
        for _ in 0..MAX_TRIES {
            let model = self.model(keys, plan).await?;
            let (expected, writes) = model.finish(unix_seconds(std::time::SystemTime::now()), &ttl);
            if writes.is_empty() || self.write(expected, writes).await? {
                return Ok(());
            }
        }
        Err(StoreError::new(format!(
            "changing the record of {}: other replicas changed it {MAX_TRIES} times in a row",
            keys.first().map_or_else(String::new, ToString::to_string)
        )))
    }

    async fn lookup(&self, key: &UserKey) -> Result<Option<Record>, StoreError> {
        let found = std::sync::Mutex::new(None);
        let plan = |m: &mut Model| {
            let record = m.lookup(key);
            if let Ok(mut slot) = found.lock() {
                *slot = record;
            }
        };
        self.model(&[key], &plan).await?;
        found
            .into_inner()
            .map_err(|_| StoreError::new(format!("reading the record of {key}")))
    }

    fn update<'a>(
        &'a self,
        key: &'a UserKey,
        change: impl Fn(&mut Record) + Send + Sync + 'a,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let plan = |m: &mut Model| m.update(key, &change);
            self.change(&[key], &plan).await
        })
    }

    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let plan = |m: &mut Model| m.rename(before, after);
            self.change(&[before, after], &plan).await
        })
    }
}

/// Windows shared by every replica: a user's phone number and business-scoped user id lead to one
/// record (linked by a send or an event that carries both), timestamps only move forward, and a
/// change of number or id ([`WindowTracker::rename`]) carries the window (and the opt-out) over.
#[derive(Clone, Debug)]
pub struct RedisWindowTracker {
    users: Users,
}

impl RedisWindowTracker {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        Self {
            users: Users { shared },
        }
    }
}

impl WindowTracker for RedisWindowTracker {
    fn record_inbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users
            .update(user, move |r| r.window.record_inbound(at))
    }

    fn record_entry_point<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users
            .update(user, move |r| r.window.record_entry_point(at))
    }

    fn record_outbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users
            .update(user, move |r| r.window.record_outbound(at))
    }

    fn record_free_entry_point_until<'a>(
        &'a self,
        user: &'a UserKey,
        closes_at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users.update(user, move |r| {
            r.window.record_free_entry_point_until(closes_at);
        })
    }

    fn window<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<Window>, StoreError>> {
        Box::pin(async move {
            Ok(self
                .users
                .lookup(user)
                .await?
                .map(|r| r.window)
                .filter(|w| *w != Window::default()))
        })
    }

    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users.rename(before, after)
    }
}

/// Opt-outs shared by every replica: the latest change by its event time wins whatever order
/// replicas write in ([`OptOutRecord::later`]); kept in the same user record as the window.
#[derive(Clone, Debug)]
pub struct RedisOptOutStore {
    users: Users,
}

impl RedisOptOutStore {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        Self {
            users: Users { shared },
        }
    }
}

impl OptOutStore for RedisOptOutStore {
    fn record<'a>(
        &'a self,
        user: &'a UserKey,
        intent: Intent,
        source: Source,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users.update(user, move |r| {
            let new = OptOutRecord::new(intent, source.clone(), at);
            r.opt_out = Some(match r.opt_out.take() {
                Some(old) => old.later(new),
                None => new,
            });
        })
    }

    fn status<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        Box::pin(async move { Ok(self.users.lookup(user).await?.and_then(|r| r.opt_out)) })
    }

    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.users.rename(before, after)
    }
}
