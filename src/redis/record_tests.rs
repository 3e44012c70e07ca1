//! The plans of user changes, on a map standing in for the buckets (the scripts' reads and
//! writes without Redis).

use super::*;
use std::collections::BTreeMap;

const NOW: u64 = 1_700_000_000;
const TTL: Ttl = Ttl {
    window_margin: 86_400,
    opt_out: 400 * 86_400,
};

/// The buckets as one map, read the way the read script reads (following aliases and phones).
#[derive(Default)]
struct Fake(BTreeMap<String, String>);

impl Fake {
    fn fetch(&self, fields: &[String]) -> Model {
        let mut queue: Vec<String> = fields.to_vec();
        let mut out = Vec::new();
        let mut i = 0;
        while i < queue.len() {
            let f = queue[i].clone();
            i += 1;
            if out.iter().any(|(g, _): &(String, String)| *g == f) {
                continue;
            }
            let v = self.0.get(&f).cloned().unwrap_or_default();
            match decode(&v) {
                Ok(Entry::Alias(t)) => queue.push(t),
                Ok(Entry::Record(r)) => queue.extend(r.phone.map(|p| format!("+{p}"))),
                Err(_) => {}
            }
            out.push((f, v));
        }
        Model::new(out).unwrap()
    }

    fn run(&mut self, keys: &[&UserKey], plan: impl Fn(&mut Model)) -> Model {
        let mut fields: Vec<String> = keys
            .iter()
            .flat_map(|k| [user_field(k), phone_field(k)])
            .flatten()
            .collect();
        loop {
            let mut model = self.fetch(&fields);
            plan(&mut model);
            if model.missing.is_empty() {
                return model;
            }
            fields.extend(std::mem::take(&mut model.missing));
        }
    }

    fn change(&mut self, keys: &[&UserKey], plan: impl Fn(&mut Model)) {
        let model = self.run(keys, plan);
        let (expected, writes) = model.finish(NOW, &TTL);
        for (f, v) in expected {
            assert_eq!(self.0.get(&f), v.as_ref(), "{f} changed");
        }
        for (f, v) in writes {
            match v {
                Some(v) => self.0.insert(f, v),
                None => self.0.remove(&f),
            };
        }
    }

    fn inbound(&mut self, key: &UserKey, at: u64) {
        self.change(&[key], |m| m.update(key, |r| r.window.record_inbound(at)));
    }

    fn opt(&mut self, key: &UserKey, intent: Intent, at: u64) {
        self.change(&[key], |m| {
            m.update(key, |r| {
                let new = OptOutRecord::new(intent, Source::Keyword, at);
                r.opt_out = Some(r.opt_out.take().map_or(new.clone(), |o| o.later(new)));
            });
        });
    }

    fn get(&mut self, key: &UserKey) -> Option<Record> {
        let found = std::cell::RefCell::new(None);
        self.run(&[key], |m| *found.borrow_mut() = m.lookup(key));
        found.into_inner()
    }
}

fn last_inbound(fake: &mut Fake, key: &UserKey) -> Option<u64> {
    fake.get(key).and_then(|r| r.window.last_inbound())
}

#[test]
fn values_round_trip_and_stay_small() {
    let mut window = Window::new();
    window.record_entry_point(NOW);
    window.record_outbound(NOW + 60);
    window.record_free_entry_point_until(NOW + 3 * 86_400);
    let record = Record {
        phone: Some("16505551234".into()),
        window,
        opt_out: Some(OptOutRecord::new(
            Intent::OptOut,
            Source::Other("a;b@c".into()),
            NOW,
        )),
    };
    let value = encode(&Entry::Record(record.clone()), NOW + 86_400);
    assert_eq!(decode(&value), Ok(Entry::Record(record)));
    let alias = encode(&Entry::Alias("US.1".into()), NOW);
    assert_eq!(alias, "s44we8@US.1");
    assert_eq!(decode(&alias), Ok(Entry::Alias("US.1".into())));
    let mut plain = Window::new();
    plain.record_inbound(NOW);
    let value = encode(
        &Entry::Record(Record {
            phone: Some("16505551234".into()),
            window: plain,
            opt_out: None,
        }),
        NOW,
    );
    assert_eq!(value, "s44we8;16505551234;s44we8;;;;;");
    assert!(decode("1;2;3").unwrap_err().contains("3 fields"));
    assert!(decode("1;;zz!;;;;;").unwrap_err().contains("zz!"));
}

#[test]
fn buckets_match_the_scripts_hash() {
    // h = ((('+' * 31 + '1') * 31 + '2') mod (2^31 - 1)
    let h = (u64::from(b'+') * 31 + u64::from(b'1')) * 31 + u64::from(b'2');
    assert_eq!(bucket_of("+12", 1_000), u32::try_from(h % 1_000).unwrap());
    assert!(bucket_of("US.13491208655302741918", 2_500) < 2_500);
}

#[test]
fn a_window_opened_by_phone_is_found_by_bsuid_once_linked() {
    let mut fake = Fake::default();
    let phone = UserKey::phone("16505551234");
    let bsuid = UserKey::user_id("US.1");
    fake.inbound(&phone, NOW);
    assert_eq!(last_inbound(&mut fake, &bsuid), None);
    // A send or event with both ids links them: the phone-only record folds into the BSUID's.
    fake.inbound(&bsuid.clone().with_phone("16505551234"), NOW - 10);
    assert_eq!(last_inbound(&mut fake, &bsuid), Some(NOW));
    assert_eq!(last_inbound(&mut fake, &phone), Some(NOW));
    assert_eq!(
        fake.0.get("+16505551234").map(String::as_str),
        Some(&*format!("{}@US.1", super::b36(NOW + 2 * 86_400)))
    );
}

#[test]
fn timestamps_only_move_forward() {
    let mut fake = Fake::default();
    let user = UserKey::user_id("US.1");
    fake.inbound(&user, NOW);
    fake.inbound(&user, NOW - 500);
    assert_eq!(last_inbound(&mut fake, &user), Some(NOW));
}

#[test]
fn the_latest_opt_out_wins_in_any_order() {
    let mut fake = Fake::default();
    let user = UserKey::phone("16505551234");
    fake.opt(&user, Intent::Resume, NOW + 10);
    fake.opt(&user, Intent::OptOut, NOW);
    assert_eq!(
        fake.get(&user).unwrap().opt_out.unwrap().intent,
        Intent::Resume
    );
    fake.opt(&user, Intent::OptOut, NOW + 10);
    assert!(fake.get(&user).unwrap().opt_out.unwrap().is_opted_out());
}

#[test]
fn a_number_taken_by_another_user_leaves_the_first() {
    let mut fake = Fake::default();
    let ana = UserKey::user_id("US.1").with_phone("16505551234");
    let bob = UserKey::user_id("US.2").with_phone("16505551234");
    fake.inbound(&ana, NOW);
    fake.inbound(&bob, NOW + 5);
    assert_eq!(
        last_inbound(&mut fake, &UserKey::phone("16505551234")),
        Some(NOW + 5)
    );
    assert_eq!(fake.get(&UserKey::user_id("US.1")).unwrap().phone, None);
    assert_eq!(
        last_inbound(&mut fake, &UserKey::user_id("US.1")),
        Some(NOW)
    );
}

#[test]
fn a_new_number_drops_the_old_alias() {
    let mut fake = Fake::default();
    fake.inbound(&UserKey::user_id("US.1").with_phone("111"), NOW);
    fake.inbound(&UserKey::user_id("US.1").with_phone("222"), NOW);
    assert!(!fake.0.contains_key("+111"));
    assert_eq!(last_inbound(&mut fake, &UserKey::phone("222")), Some(NOW));
}

#[test]
fn rename_carries_window_and_opt_out_over() {
    let mut fake = Fake::default();
    let before = UserKey::user_id("US.1").with_phone("16505551234");
    fake.inbound(&before, NOW);
    fake.opt(&before, Intent::OptOut, NOW);
    // A new BSUID: the number stays the user's.
    let after = UserKey::user_id("US.9");
    fake.change(&[&before, &after], |m| m.rename(&before, &after));
    let moved = fake.get(&after).unwrap();
    assert_eq!(moved.window.last_inbound(), Some(NOW));
    assert!(moved.opt_out.unwrap().is_opted_out());
    assert_eq!(moved.phone.as_deref(), Some("16505551234"));
    assert!(fake.get(&UserKey::user_id("US.1")).is_none());
    assert_eq!(
        last_inbound(&mut fake, &UserKey::phone("16505551234")),
        Some(NOW)
    );
    // Renaming again finds nothing under the old BSUID: nothing changes.
    fake.change(&[&before, &after], |m| m.rename(&before, &after));
    assert_eq!(fake.get(&after).unwrap().window.last_inbound(), Some(NOW));
    // A new number: the BSUID stays.
    let number = UserKey::user_id("US.9").with_phone("16505550000");
    fake.change(&[&after, &number], |m| m.rename(&after, &number));
    assert!(
        fake.get(&UserKey::phone("16505550000"))
            .unwrap()
            .opt_out
            .unwrap()
            .is_opted_out()
    );
    assert!(fake.get(&UserKey::phone("16505551234")).is_none());
}

#[test]
fn entries_expire_with_their_rules() {
    let mut fake = Fake::default();
    let user = UserKey::user_id("US.1").with_phone("1");
    // A window that closed long ago decides nothing: not stored.
    fake.inbound(&user, NOW - 10 * 86_400);
    assert!(fake.0.is_empty());
    fake.opt(&user, Intent::OptOut, NOW - 10 * 86_400);
    let value = fake.0.get("US.1").unwrap().clone();
    let exp = u64::from_str_radix(value.split(';').next().unwrap(), 36).unwrap();
    assert_eq!(exp, NOW + 400 * 86_400);
}

#[test]
fn a_change_that_changes_nothing_writes_nothing() {
    let mut fake = Fake::default();
    let user = UserKey::user_id("US.1").with_phone("1");
    // A send to an unknown user without an entry point records nothing.
    let model = fake.run(&[&user], |m| {
        m.update(&user, |r| r.window.record_outbound(NOW))
    });
    assert!(model.finish(NOW, &TTL).1.is_empty());
    fake.inbound(&user, NOW);
    let model = fake.run(&[&user], |m| {
        m.update(&user, |r| r.window.record_inbound(NOW - 5))
    });
    assert!(model.finish(NOW, &TTL).1.is_empty());
}
