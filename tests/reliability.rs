//! The 24-hour window, opt-outs, redelivery dedup and the send guard, from the outside: pure rules
//! with passed-in time, fed by hand and by real webhook payloads (inline JSON and the conformance
//! corpus at `$WHATSAPP_CONFORMANCE_DIR`).

mod common;

use proptest::prelude::*;
use std::collections::{HashMap, HashSet, VecDeque};
use whatsapp_cloud::Recipient;
use whatsapp_cloud::error::Refusal;
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, Delivery, FreeEntryPoint, InMemoryDeduplicator, InMemoryOptOutStore,
    InMemoryWindowTracker, Intent, Keywords, OptOutRecord, OptOutStore, Outgoing, SendGuard,
    SendPolicy, Source, UserKey, Window, WindowState, WindowTracker, block_on,
};
use whatsapp_cloud::webhook::Payload;

/// Drives a store's future from synchronous code (closures and property tests); the in-memory
/// stores' futures are ready at once.
trait Wait: std::future::Future + Sized {
    fn wait(self) -> Self::Output {
        block_on(self)
    }
}

impl<F: std::future::Future> Wait for F {}

const T0: u64 = 1_750_000_000;
const H: u64 = 3_600;
const DAY: u64 = 24 * H;

fn ana() -> UserKey {
    UserKey::user_id("US.13491208655302741918").with_phone("16505551234")
}

// ---------------------------------------------------------------------------------------------
// 24-hour window
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn window_is_open_at_23_59_59_and_closed_at_24_00_00() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_inbound(&ana(), T0).await.unwrap();
    assert_eq!(
        tracker.state(&ana(), T0 + DAY - 1).await.unwrap(),
        WindowState::Open {
            closes_at: T0 + DAY,
            free_entry_point: FreeEntryPoint::None
        }
    );
    assert_eq!(
        tracker
            .state(&ana(), T0 + DAY - 1)
            .await
            .unwrap()
            .remaining(T0 + DAY - 1),
        Some(1)
    );
    assert_eq!(
        tracker.state(&ana(), T0 + DAY).await.unwrap(),
        WindowState::Closed {
            closed_at: Some(T0 + DAY),
            free_entry_point: FreeEntryPoint::None
        }
    );
}

#[tokio::test]
async fn unknown_user_needs_a_template() {
    let tracker = InMemoryWindowTracker::new(100);
    let state = tracker.state(&ana(), T0).await.unwrap();
    assert!(state.requires_template());
    assert_eq!(state.closes_at(), None);
    assert_eq!(
        state,
        WindowState::Closed {
            closed_at: None,
            free_entry_point: FreeEntryPoint::None
        }
    );
}

#[tokio::test]
async fn a_later_message_reopens_a_closed_window() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_inbound(&ana(), T0).await.unwrap();
    assert!(
        tracker
            .state(&ana(), T0 + 30 * H)
            .await
            .unwrap()
            .requires_template()
    );
    tracker.record_inbound(&ana(), T0 + 30 * H).await.unwrap();
    assert_eq!(
        tracker
            .state(&ana(), T0 + 30 * H)
            .await
            .unwrap()
            .closes_at(),
        Some(T0 + 30 * H + DAY)
    );
}

#[tokio::test]
async fn an_older_message_arriving_late_does_not_shorten_the_window() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_inbound(&ana(), T0 + 5 * H).await.unwrap();
    tracker.record_inbound(&ana(), T0).await.unwrap();
    assert_eq!(
        tracker.state(&ana(), T0 + DAY).await.unwrap().closes_at(),
        Some(T0 + 5 * H + DAY)
    );
    assert_eq!(
        tracker
            .window(&ana())
            .wait()
            .unwrap()
            .and_then(|w| w.last_inbound()),
        Some(T0 + 5 * H)
    );
}

#[tokio::test]
async fn a_user_is_found_by_bsuid_or_by_phone_in_any_format() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_inbound(&ana(), T0).await.unwrap();
    for key in [
        UserKey::user_id("US.13491208655302741918"),
        UserKey::phone("16505551234"),
        UserKey::phone("+1 (650) 555-1234"),
        UserKey::from_recipient(&Recipient::from("US.13491208655302741918")).unwrap(),
        UserKey::from_recipient(&Recipient::phone("+1 650-555-1234")).unwrap(),
    ] {
        assert!(
            tracker
                .state(&key, T0 + H)
                .await
                .unwrap()
                .allows_free_form(),
            "{key:?}"
        );
    }
    assert!(
        tracker
            .state(&UserKey::phone("16505550000"), T0 + H)
            .await
            .unwrap()
            .requires_template()
    );
    assert_eq!(tracker.len(), 1);
}

#[tokio::test]
async fn phone_first_then_bsuid_is_one_user() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker
        .record_inbound(&UserKey::phone("16505551234"), T0)
        .await
        .unwrap();
    tracker
        .record_inbound(&UserKey::user_id("US.1"), T0 + 2 * H)
        .await
        .unwrap();
    tracker
        .record_inbound(&UserKey::user_id("US.1").with_phone("16505551234"), T0 + H)
        .await
        .unwrap();
    assert_eq!(tracker.len(), 1);
    assert_eq!(
        tracker
            .state(&UserKey::phone("16505551234"), T0 + 3 * H)
            .await
            .unwrap()
            .closes_at(),
        Some(T0 + 2 * H + DAY)
    );
}

#[tokio::test]
async fn tracker_memory_is_bounded_and_forgets_the_least_recently_updated_user() {
    let tracker = InMemoryWindowTracker::new(3);
    for (i, phone) in ["1", "2", "3"].iter().enumerate() {
        tracker
            .record_inbound(&UserKey::phone(phone), T0 + i as u64)
            .await
            .unwrap();
    }
    tracker
        .record_inbound(&UserKey::phone("1"), T0 + 10)
        .await
        .unwrap();
    tracker
        .record_inbound(&UserKey::phone("4"), T0 + 11)
        .await
        .unwrap();
    assert_eq!(tracker.len(), 3);
    assert!(
        tracker
            .window(&UserKey::phone("2"))
            .await
            .unwrap()
            .is_none()
    );
    for phone in ["1", "3", "4"] {
        assert!(
            tracker
                .state(&UserKey::phone(phone), T0 + H)
                .await
                .unwrap()
                .allows_free_form()
        );
    }
    for i in 0..10_000u64 {
        tracker
            .record_inbound(&UserKey::phone(i.to_string()), T0 + i)
            .await
            .unwrap();
    }
    assert_eq!(tracker.len(), 3);
}

proptest! {
    #[test]
    fn window_closes_24_hours_after_the_latest_inbound_whatever_the_order(
        times in prop::collection::vec(0u64..10 * DAY, 1..30),
    ) {
        let mut w = Window::new();
        for t in &times {
            w.record_inbound(T0 + t);
        }
        let latest = T0 + times.iter().max().copied().unwrap_or_default();
        prop_assert_eq!(w.state(latest).closes_at(), Some(latest + DAY));
        prop_assert!(w.state(latest + DAY - 1).allows_free_form());
        prop_assert!(w.state(latest + DAY).requires_template());
    }

    #[test]
    fn bounded_tracker_never_loses_the_user_it_just_recorded(
        ops in prop::collection::vec((prop::option::of(0u8..6), prop::option::of(0u8..6), 0u64..100), 1..200),
        capacity in 1usize..5,
    ) {
        let tracker = InMemoryWindowTracker::new(capacity);
        for (user, phone, t) in ops {
            let key = match (user, phone) {
                (Some(u), Some(p)) => UserKey::user_id(format!("US.{u}")).with_phone(format!("1555000{p}")),
                (Some(u), None) => UserKey::user_id(format!("US.{u}")),
                (None, Some(p)) => UserKey::phone(format!("1555000{p}")),
                (None, None) => continue,
            };
            tracker.record_inbound(&key, T0 + t).wait().unwrap();
            prop_assert!(tracker.len() <= capacity);
            prop_assert!(tracker.state(&key, T0 + t).wait().unwrap().allows_free_form(), "{:?}", key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Free-entry-point windows
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn fep_opens_at_the_answer_and_lasts_exactly_72_hours() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_entry_point(&ana(), T0).await.unwrap();
    assert_eq!(
        tracker
            .state(&ana(), T0 + H)
            .await
            .unwrap()
            .free_entry_point(),
        FreeEntryPoint::Offered { reply_by: T0 + DAY }
    );
    tracker.record_outbound(&ana(), T0 + 3 * H).await.unwrap();
    let fep_end = T0 + 3 * H + 72 * H;
    assert_eq!(
        tracker.state(&ana(), fep_end - 1).await.unwrap(),
        WindowState::Closed {
            closed_at: Some(T0 + DAY),
            free_entry_point: FreeEntryPoint::Open { closes_at: fep_end }
        }
    );
    assert_eq!(
        tracker.state(&ana(), fep_end).await.unwrap(),
        WindowState::Closed {
            closed_at: Some(T0 + DAY),
            free_entry_point: FreeEntryPoint::None
        }
    );
}

#[test]
fn answer_at_23_59_59_opens_a_fep_and_at_24_00_00_does_not() {
    let mut late = Window::new();
    late.record_entry_point(T0);
    late.record_outbound(T0 + DAY);
    assert_eq!(
        late.state(T0 + DAY).free_entry_point(),
        FreeEntryPoint::None
    );

    let mut in_time = Window::new();
    in_time.record_entry_point(T0);
    in_time.record_outbound(T0 + DAY - 1);
    assert_eq!(
        in_time.state(T0 + DAY).free_entry_point(),
        FreeEntryPoint::Open {
            closes_at: T0 + DAY - 1 + 72 * H
        }
    );
}

#[test]
fn a_send_before_the_ad_message_is_no_answer_to_it() {
    let mut w = Window::new();
    w.record_entry_point(T0);
    w.record_outbound(T0 - 1);
    assert_eq!(
        w.state(T0).free_entry_point(),
        FreeEntryPoint::Offered { reply_by: T0 + DAY }
    );
}

#[test]
fn fep_does_not_allow_free_form_once_the_customer_service_window_closed() {
    let mut w = Window::new();
    w.record_entry_point(T0);
    w.record_outbound(T0 + H);
    let state = w.state(T0 + 48 * H);
    assert!(state.free_entry_point().is_open());
    assert!(state.requires_template());
}

#[test]
fn ordinary_message_offers_no_fep() {
    let mut w = Window::new();
    w.record_inbound(T0);
    w.record_outbound(T0 + H);
    assert_eq!(w.state(T0 + H).free_entry_point(), FreeEntryPoint::None);
}

// ---------------------------------------------------------------------------------------------
// Opt-out keywords
// ---------------------------------------------------------------------------------------------

#[test]
fn opt_out_keywords_in_every_default_language_with_case_punctuation_and_accents() {
    let k = Keywords::default();
    for text in [
        "STOP",
        "stop",
        "  Stop.  ",
        "STOP!!! 🛑",
        "🙅‍♀️ stop 🙅‍♀️",
        "Unsubscribe",
        "opt-out",
        "Opt Out!",
        "Stop all",
        "¡BAJA!",
        "Darme de baja",
        "Cancelar suscripción",
        "no más",
        "NO MÁS MENSAJES",
        "Parar",
        "Sair",
        "Cancelar inscrição",
        "Não quero mais",
        "Descadastrar",
        "Désabonner",
        "se désabonner",
        "ARRÊT",
        "Arrêter !",
        "Désinscription",
        "Stopp",
        "Abmelden",
        "abbestellen.",
        "Basta!",
        "Disiscrivimi",
        "Annulla iscrizione",
        "Afmelden",
        "Uitschrijven",
        "Berhenti",
        "berhenti langganan",
        "Stop promotions",
        // Decomposed accents (e + U+0301) fold like precomposed ones.
        "De\u{301}sabonner",
    ] {
        assert_eq!(k.classify(text), Some(Intent::OptOut), "{text:?}");
        assert!(k.is_opt_out(text), "{text:?}");
    }
}

#[test]
fn resume_keywords_are_recognised() {
    let k = Keywords::default();
    for text in [
        "START",
        "Start!",
        "unstop",
        "Resume",
        "ALTA",
        "Reanudar",
        "Retomar",
        "Reprendre",
        "Anmelden",
        "Riprendi",
        "Aanmelden",
        "Berlangganan",
    ] {
        assert_eq!(k.classify(text), Some(Intent::Resume), "{text:?}");
    }
}

#[test]
fn stop_inside_a_sentence_or_word_is_not_an_opt_out() {
    let k = Keywords::default();
    for text in [
        "Please don't stop sending me updates",
        "stop by the store tomorrow",
        "Where is the bus stop?",
        "stopwatch",
        "nonstop",
        "I want to unsubscribe my friend too and also ask about prices",
        "stop stop",
        "",
        "   ",
        "🛑",
        "start the order",
        "baja el precio",
        // Menu words must not resume marketing.
        "Voltar",
        "Iniciar",
        "lanjut",
    ] {
        assert_eq!(k.classify(text), None, "{text:?}");
    }
    let long = format!("stop{}", " ".repeat(300));
    assert_eq!(k.classify(&long), None);
}

#[test]
fn keywords_can_be_chosen_per_language_and_extended() {
    let pt = Keywords::for_languages(&["pt"]).unwrap();
    assert_eq!(pt.classify("SAIR"), Some(Intent::OptOut));
    assert_eq!(pt.classify("Abmelden"), None);
    assert!(Keywords::for_languages(&["en", "zz"]).is_none());

    let custom = Keywords::default()
        .stop("Cancel")
        .resume("Sí, quiero")
        .without("basta");
    assert_eq!(custom.classify("cancel!"), Some(Intent::OptOut));
    assert_eq!(custom.classify("si quiero"), Some(Intent::Resume));
    assert_eq!(custom.classify("Basta"), None);
    assert_eq!(Keywords::empty().classify("stop"), None);
}

proptest! {
    #[test]
    fn normalising_twice_changes_nothing(text in "\\PC{0,40}") {
        let once = whatsapp_cloud::policy::normalize(&text);
        prop_assert_eq!(whatsapp_cloud::policy::normalize(&once), once);
    }

    #[test]
    fn every_default_keyword_matches_in_upper_case_wrapped_in_noise(
        index in 0usize..1_000,
        before in "[ \t\n!¡?¿.,;:*()\\[\\]'\"🛑🙏🙅‍♀️❌-]{0,6}",
        after in "[ \t\n!¡?¿.,;:*()\\[\\]'\"🛑🙏🙅‍♀️❌-]{0,6}",
    ) {
        let k = Keywords::default();
        let mut words: Vec<&str> = k.stop_keywords().collect();
        words.sort_unstable();
        let word = words[index % words.len()];
        let text = format!("{before}{}{after}", word.to_uppercase());
        prop_assert_eq!(k.classify(&text), Some(Intent::OptOut), "{:?}", text);
    }

    #[test]
    fn a_keyword_with_another_word_is_not_a_keyword(
        index in 0usize..1_000,
        extra in "[qxzjk]{3,6}",
        extra_first in any::<bool>(),
    ) {
        let k = Keywords::default();
        let mut words: Vec<&str> = k.stop_keywords().chain(k.resume_keywords()).collect();
        words.sort_unstable();
        let word = words[index % words.len()];
        let text = if extra_first { format!("{extra} {word}") } else { format!("{word} {extra}") };
        prop_assert_eq!(k.classify(&text), None, "{:?}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Opt-out store
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn latest_change_wins_whatever_the_arrival_order() {
    let store = InMemoryOptOutStore::new();
    store
        .record(&ana(), Intent::Resume, Source::Keyword, T0 + 10)
        .await
        .unwrap();
    store
        .record(&ana(), Intent::OptOut, Source::UserPreferences, T0)
        .await
        .unwrap();
    assert!(!store.is_opted_out(&ana()).await.unwrap());
    assert_eq!(
        store.status(&UserKey::phone("16505551234")).await.unwrap(),
        Some(OptOutRecord::new(Intent::Resume, Source::Keyword, T0 + 10))
    );
    store
        .record(
            &UserKey::phone("+1 650 555 1234"),
            Intent::OptOut,
            Source::Manual,
            T0 + 20,
        )
        .await
        .unwrap();
    assert!(
        store
            .is_opted_out(&UserKey::user_id("US.13491208655302741918"))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn opt_out_recorded_by_phone_follows_the_user_once_the_bsuid_is_known() {
    let store = InMemoryOptOutStore::new();
    store
        .record(
            &UserKey::phone("16505551234"),
            Intent::OptOut,
            Source::Keyword,
            T0,
        )
        .await
        .unwrap();
    assert!(
        !store
            .is_opted_out(&UserKey::user_id("US.13491208655302741918"))
            .await
            .unwrap()
    );
    // A later webhook carries both ids: the records are one user from now on.
    store
        .record(&ana(), Intent::OptOut, Source::UserPreferences, T0 - 10)
        .await
        .unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(
        store
            .status(&UserKey::user_id("US.13491208655302741918"))
            .await
            .unwrap(),
        Some(OptOutRecord::new(Intent::OptOut, Source::Keyword, T0))
    );
}

#[tokio::test]
async fn opt_out_store_remembers_every_user() {
    let store = InMemoryOptOutStore::new();
    for i in 0..5_000u64 {
        store
            .record(
                &UserKey::phone(i.to_string()),
                Intent::OptOut,
                Source::Manual,
                T0,
            )
            .await
            .unwrap();
    }
    assert_eq!(store.len(), 5_000);
    assert!((0..5_000u64).all(|i| {
        store
            .is_opted_out(&UserKey::phone(i.to_string()))
            .wait()
            .unwrap()
    }));
}

// ---------------------------------------------------------------------------------------------
// Redelivery dedup
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn first_deliveries_are_never_dropped_however_many_arrive() {
    let seen = InMemoryDeduplicator::new(100, 7 * DAY);
    for i in 0..10_000u64 {
        assert_eq!(
            seen.check(&DedupKey::message(format!("wamid.{i}")), T0 + i / 100)
                .await
                .unwrap(),
            Delivery::First,
            "wamid.{i}"
        );
        assert!(seen.len() <= 100);
    }
    assert_eq!(seen.len(), 100);
}

#[tokio::test]
async fn duplicates_within_capacity_and_age_are_caught() {
    let seen = InMemoryDeduplicator::new(1_000, DAY);
    for i in 0..1_000 {
        assert!(
            seen.check(&DedupKey::message(format!("m{i}")), T0)
                .await
                .unwrap()
                .is_first()
        );
        assert!(
            seen.check(&DedupKey::status(format!("m{i}"), "read"), T0)
                .await
                .unwrap()
                .is_first()
        );
    }
    // 2 000 keys offered to 1 000 slots: the last 1 000 inserted are remembered.
    for i in 500..1_000 {
        assert_eq!(
            seen.check(&DedupKey::message(format!("m{i}")), T0 + DAY - 1)
                .await
                .unwrap(),
            Delivery::Duplicate
        );
        assert_eq!(
            seen.check(&DedupKey::status(format!("m{i}"), "read"), T0 + DAY - 1)
                .await
                .unwrap(),
            Delivery::Duplicate
        );
    }
}

#[tokio::test]
async fn keys_are_forgotten_at_max_age_and_the_redelivery_is_accepted() {
    let seen = InMemoryDeduplicator::new(10, 36 * H);
    let key = DedupKey::status("wamid.A", "delivered");
    assert!(seen.check(&key, T0).await.unwrap().is_first());
    assert_eq!(
        seen.check(&key, T0 + 36 * H - 1).await.unwrap(),
        Delivery::Duplicate
    );
    assert_eq!(
        seen.check(&key, T0 + 36 * H).await.unwrap(),
        Delivery::First
    );
    seen.prune(T0 + 72 * H);
    assert!(seen.is_empty());
}

#[test]
fn dedup_keys_have_distinct_string_forms() {
    let keys = [
        DedupKey::message("wamid.A"),
        DedupKey::status("wamid.A", "read"),
        DedupKey::status("wamid.A", "delivered"),
        DedupKey::other("wamid.A"),
    ];
    let forms: HashSet<String> = keys.iter().map(ToString::to_string).collect();
    assert_eq!(forms.len(), keys.len());
    assert_eq!(keys[1].to_string(), "status:wamid.A:read");
}

#[tokio::test]
async fn forget_after_a_failed_processing_lets_the_retry_in() {
    let seen = InMemoryDeduplicator::default();
    let key = DedupKey::message("wamid.A");
    assert!(seen.check(&key, T0).await.unwrap().is_first());
    seen.forget(&key).await.unwrap();
    assert!(seen.check(&key, T0 + 60).await.unwrap().is_first());
    assert_eq!(
        seen.check(&key, T0 + 120).await.unwrap(),
        Delivery::Duplicate
    );
}

/// A plain model of a size- and age-bounded set: what a duplicate must look like to be caught.
struct Model {
    capacity: usize,
    max_age: u64,
    order: VecDeque<(String, u64)>,
}

impl Model {
    fn remembers(&self, key: &str, now: u64) -> bool {
        self.order
            .iter()
            .any(|(k, t)| k == key && now.saturating_sub(*t) < self.max_age)
    }
    fn accept(&mut self, key: &str, now: u64) {
        self.order
            .retain(|(k, t)| k != key && now.saturating_sub(*t) < self.max_age);
        self.order.push_back((key.to_owned(), now));
        while self.order.len() > self.capacity {
            self.order.pop_front();
        }
    }
}

proptest! {
    #[test]
    fn dedup_never_refuses_a_new_key_and_catches_every_remembered_one(
        ops in prop::collection::vec((0u8..40, 0u64..50), 1..400),
        capacity in 1usize..20,
        max_age in 1u64..200,
    ) {
        let seen = InMemoryDeduplicator::new(capacity, max_age);
        let mut model = Model { capacity, max_age, order: VecDeque::new() };
        let mut accepted = HashSet::new();
        let mut now = T0;
        for (id, step) in ops {
            now += step;
            let key = format!("wamid.{id}");
            let verdict = seen.check(&DedupKey::message(&key), now).wait().unwrap();
            if !accepted.contains(&key) {
                prop_assert_eq!(verdict, Delivery::First, "new key {} refused", key);
            }
            if model.remembers(&key, now) {
                prop_assert_eq!(verdict, Delivery::Duplicate, "remembered key {} accepted", key);
            } else {
                prop_assert_eq!(verdict, Delivery::First, "forgotten key {} refused", key);
                model.accept(&key, now);
            }
            accepted.insert(key);
            prop_assert!(seen.len() <= capacity);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Send guard
// ---------------------------------------------------------------------------------------------

fn guard() -> SendGuard<InMemoryWindowTracker, InMemoryOptOutStore> {
    SendGuard::new(InMemoryWindowTracker::new(100), InMemoryOptOutStore::new())
}

#[tokio::test]
async fn guard_allows_free_form_only_inside_the_window() {
    let g = guard();
    g.windows().record_inbound(&ana(), T0).await.unwrap();
    assert_eq!(
        g.check(&ana(), &Outgoing::FreeForm, T0 + DAY - 1).await,
        Ok(())
    );
    assert_eq!(
        g.check(&ana(), &Outgoing::FreeForm, T0 + DAY).await,
        Err(Refusal::WindowClosed {
            recipient: "US.13491208655302741918".to_owned()
        })
    );
    assert_eq!(
        g.check(
            &UserKey::phone("+1 650 555 1234"),
            &Outgoing::FreeForm,
            T0 + DAY
        )
        .await,
        Err(Refusal::WindowClosed {
            recipient: "16505551234".to_owned()
        })
    );
}

#[tokio::test]
async fn guard_allows_templates_outside_the_window() {
    let g = guard();
    assert_eq!(
        g.check(&ana(), &Outgoing::template("order_shipped"), T0)
            .await,
        Ok(())
    );
    assert_eq!(
        g.check(&ana(), &Outgoing::marketing_template("sale"), T0)
            .await,
        Ok(())
    );
}

#[tokio::test]
async fn guard_refuses_marketing_templates_to_opted_out_users_only() {
    let g = guard();
    g.windows().record_inbound(&ana(), T0).await.unwrap();
    g.opt_outs()
        .record(&ana(), Intent::OptOut, Source::Keyword, T0)
        .await
        .unwrap();
    assert_eq!(
        g.check(&ana(), &Outgoing::marketing_template("summer_sale"), T0 + H)
            .await,
        Err(Refusal::OptedOut {
            recipient: "US.13491208655302741918".to_owned(),
            template: "summer_sale".to_owned()
        })
    );
    assert_eq!(
        g.check(&ana(), &Outgoing::template("order_shipped"), T0 + H)
            .await,
        Ok(())
    );
    assert_eq!(g.check(&ana(), &Outgoing::FreeForm, T0 + H).await, Ok(()));

    g.opt_outs()
        .record(&ana(), Intent::Resume, Source::Keyword, T0 + 2 * H)
        .await
        .unwrap();
    assert_eq!(
        g.check(
            &ana(),
            &Outgoing::marketing_template("summer_sale"),
            T0 + 3 * H
        )
        .await,
        Ok(())
    );
}

#[tokio::test]
async fn open_fep_does_not_let_free_form_through_a_closed_window() {
    let g = guard();
    g.windows().record_entry_point(&ana(), T0).await.unwrap();
    g.record_sent(&ana(), T0 + H).await.unwrap();
    assert!(
        g.windows()
            .state(&ana(), T0 + 30 * H)
            .await
            .unwrap()
            .free_entry_point()
            .is_open()
    );
    assert!(matches!(
        g.check(&ana(), &Outgoing::FreeForm, T0 + 30 * H).await,
        Err(Refusal::WindowClosed { .. })
    ));
    assert_eq!(
        g.check(&ana(), &Outgoing::marketing_template("sale"), T0 + 30 * H)
            .await,
        Ok(())
    );
}

#[tokio::test]
async fn prune_keeps_users_whose_fep_is_still_open() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_entry_point(&ana(), T0).await.unwrap();
    tracker.record_outbound(&ana(), T0 + H).await.unwrap();
    tracker
        .record_inbound(&UserKey::phone("2"), T0)
        .await
        .unwrap();
    tracker.prune(T0 + 30 * H);
    assert_eq!(tracker.len(), 1);
    assert!(tracker.window(&ana()).await.unwrap().is_some());
    tracker.prune(T0 + 73 * H);
    assert!(tracker.is_empty());
}

#[tokio::test]
async fn unknown_users_are_refused_free_form_unless_allowed() {
    let g = guard();
    assert!(matches!(
        g.check(&ana(), &Outgoing::FreeForm, T0).await,
        Err(Refusal::WindowClosed { .. })
    ));
    let lenient = guard().allow_unknown_users(true);
    assert_eq!(lenient.check(&ana(), &Outgoing::FreeForm, T0).await, Ok(()));
    // A known user with a closed window is still refused.
    lenient
        .windows()
        .record_inbound(&ana(), T0 - 2 * DAY)
        .await
        .unwrap();
    assert!(
        lenient
            .check(&ana(), &Outgoing::FreeForm, T0)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn guard_passes_group_recipients_and_checks_others() {
    let g = guard();
    assert_eq!(
        g.check_recipient(
            &Recipient::group("120363000000000000"),
            &Outgoing::FreeForm,
            T0
        )
        .await,
        Ok(())
    );
    assert!(
        g.check_recipient(&Recipient::phone("16505551234"), &Outgoing::FreeForm, T0)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn guard_works_through_the_object_safe_policy_and_records_sends() {
    let g = guard();
    g.windows().record_entry_point(&ana(), T0).await.unwrap();
    let policy: &dyn SendPolicy = &g;
    assert_eq!(
        policy.check(&ana(), &Outgoing::FreeForm, T0 + H).await,
        Ok(())
    );
    policy.record_sent(&ana(), T0 + H).await.unwrap();
    assert_eq!(
        g.windows()
            .state(&ana(), T0 + 2 * H)
            .await
            .unwrap()
            .free_entry_point(),
        FreeEntryPoint::Open {
            closes_at: T0 + 73 * H
        }
    );
}

#[test]
fn in_memory_stores_and_the_guard_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<InMemoryWindowTracker>();
    shareable::<InMemoryOptOutStore>();
    shareable::<InMemoryDeduplicator>();
    shareable::<SendGuard<InMemoryWindowTracker, InMemoryOptOutStore>>();
    shareable::<
        SendGuard<std::sync::Arc<InMemoryWindowTracker>, std::sync::Arc<InMemoryOptOutStore>>,
    >();

    let g = std::sync::Arc::new(guard());
    let workers: Vec<_> = (0..4u64)
        .map(|i| {
            let g = std::sync::Arc::clone(&g);
            std::thread::spawn(move || {
                for j in 0..100u64 {
                    g.windows()
                        .record_inbound(&UserKey::phone((i * 1_000 + j).to_string()), T0)
                        .wait()
                        .unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    // 400 users recorded from four threads into a tracker bounded at 100.
    assert_eq!(g.windows().len(), 100);
}

// ---------------------------------------------------------------------------------------------
// Fed from webhook payloads (our own JSON)
// ---------------------------------------------------------------------------------------------

fn envelope(field: &str, value: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"{field}","value":{value}}}]}}]}}"#
    )
    .into_bytes()
}

const METADATA: &str = r#""messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}"#;

fn text_message(id: &str, ts: u64, body: &str) -> Vec<u8> {
    envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"16505551234","user_id":"US.13491208655302741918"}}],
            "messages":[{{"from":"16505551234","id":"{id}","timestamp":"{ts}","type":"text","text":{{"body":{}}}}}]}}"#,
            serde_json::to_string(body).unwrap()
        ),
    )
}

fn status(id: &str, status: &str, ts: u64, recipient: &str, errors: &str) -> Vec<u8> {
    envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"statuses":[{{"id":"{id}","status":"{status}","timestamp":"{ts}","recipient_id":"{recipient}"{errors}}}]}}"#
        ),
    )
}

fn parse(body: &[u8]) -> Payload<'static> {
    Payload::from_slice(body).unwrap().into_owned()
}

#[tokio::test]
async fn inbound_text_opens_the_window_for_both_ids() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker
        .observe_payload(&parse(&text_message("wamid.A", T0, "Hola")))
        .await
        .unwrap();
    assert!(
        tracker
            .state(&UserKey::phone("16505551234"), T0 + DAY - 1)
            .await
            .unwrap()
            .allows_free_form()
    );
    assert!(
        tracker
            .state(&UserKey::user_id("US.13491208655302741918"), T0 + DAY)
            .await
            .unwrap()
            .requires_template()
    );
}

#[tokio::test]
async fn bsuid_only_sender_without_from_is_tracked() {
    let body = envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"","user_id":"US.99"}}],
            "messages":[{{"from_user_id":"US.99","id":"wamid.B","timestamp":"{T0}","type":"text","text":{{"body":"hi"}}}}]}}"#
        ),
    );
    let tracker = InMemoryWindowTracker::new(100);
    tracker.observe_payload(&parse(&body)).await.unwrap();
    assert_eq!(
        tracker
            .state(&UserKey::user_id("US.99"), T0)
            .await
            .unwrap()
            .closes_at(),
        Some(T0 + DAY)
    );
}

#[tokio::test]
async fn ad_referral_and_sent_status_open_a_free_entry_point_window() {
    let ad = envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"16505551234"}}],
            "messages":[{{"referral":{{"source_url":"https://fb.me/x","source_id":"120","source_type":"ad","ctwa_clid":"ARAkLkA8"}},
            "from":"16505551234","id":"wamid.AD","timestamp":"{T0}","type":"text","text":{{"body":"Is this available?"}}}}]}}"#
        ),
    );
    let tracker = InMemoryWindowTracker::new(100);
    tracker.observe_payload(&parse(&ad)).await.unwrap();
    assert_eq!(
        tracker.state(&ana(), T0).await.unwrap().free_entry_point(),
        FreeEntryPoint::Offered { reply_by: T0 + DAY }
    );
    tracker
        .observe_payload(&parse(&status(
            "wamid.OUT",
            "failed",
            T0 + H,
            "16505551234",
            "",
        )))
        .await
        .unwrap();
    assert!(
        !tracker
            .state(&ana(), T0 + H)
            .await
            .unwrap()
            .free_entry_point()
            .is_open()
    );
    tracker
        .observe_payload(&parse(&status(
            "wamid.OUT2",
            "sent",
            T0 + 2 * H,
            "16505551234",
            "",
        )))
        .await
        .unwrap();
    assert_eq!(
        tracker
            .state(&ana(), T0 + 2 * H)
            .await
            .unwrap()
            .free_entry_point(),
        FreeEntryPoint::Open {
            closes_at: T0 + 74 * H
        }
    );
}

#[tokio::test]
async fn status_priced_free_entry_point_reports_the_window_end() {
    let fep = r#","conversation":{"id":"c1","expiration_timestamp":"EXP","origin":{"type":"referral_conversion"}},
        "pricing":{"billable":false,"pricing_model":"PMP","type":"free_entry_point","category":"referral_conversion"}"#;
    let tracker = InMemoryWindowTracker::new(100);
    let body = status(
        "wamid.F",
        "sent",
        T0,
        "16505551234",
        &fep.replace("EXP", &(T0 + 72 * H).to_string()),
    );
    tracker.observe_payload(&parse(&body)).await.unwrap();
    // No entry point was seen (a Facebook Page button, say): Meta's report alone opens it.
    assert_eq!(
        tracker
            .state(&UserKey::phone("16505551234"), T0 + 72 * H - 1)
            .await
            .unwrap(),
        WindowState::Closed {
            closed_at: None,
            free_entry_point: FreeEntryPoint::Open {
                closes_at: T0 + 72 * H
            }
        }
    );
    assert_eq!(
        tracker
            .state(&UserKey::phone("16505551234"), T0 + 72 * H)
            .await
            .unwrap()
            .free_entry_point(),
        FreeEntryPoint::None
    );

    let service = r#","conversation":{"id":"c2","expiration_timestamp":"1750999999","origin":{"type":"service"}},
        "pricing":{"billable":false,"pricing_model":"CBP","category":"service"}"#;
    let other = InMemoryWindowTracker::new(100);
    other
        .observe_payload(&parse(&status(
            "wamid.G",
            "sent",
            T0,
            "16505551234",
            service,
        )))
        .await
        .unwrap();
    assert!(other.is_empty());
}

#[tokio::test]
async fn system_and_group_messages_do_not_open_a_window() {
    let system = envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"messages":[{{"from":"16505551234","id":"wamid.S","timestamp":"{T0}","type":"system",
            "system":{{"body":"User A changed from 16505551234 to 16505559999","wa_id":"16505559999","type":"user_changed_number"}}}}]}}"#
        ),
    );
    let group = envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"messages":[{{"from":"16505551234","group_id":"120363000000000000","id":"wamid.G","timestamp":"{T0}","type":"text","text":{{"body":"STOP"}}}}]}}"#
        ),
    );
    let tracker = InMemoryWindowTracker::new(100);
    let store = InMemoryOptOutStore::new();
    for body in [system, group] {
        let payload = parse(&body);
        tracker.observe_payload(&payload).await.unwrap();
        for e in payload.events() {
            assert_eq!(store.observe(&e, &Keywords::default()).await.unwrap(), None);
        }
    }
    assert!(tracker.is_empty());
    assert!(store.is_empty());
}

#[tokio::test]
async fn guard_fed_by_webhooks_decides_from_what_it_saw() {
    let g = guard();
    let k = Keywords::default();
    g.observe_payload(&parse(&text_message("wamid.1", T0, "hello")), &k)
        .await
        .unwrap();
    assert_eq!(g.check(&ana(), &Outgoing::FreeForm, T0 + H).await, Ok(()));
    assert_eq!(
        g.check(&ana(), &Outgoing::marketing_template("sale"), T0 + H)
            .await,
        Ok(())
    );
    let got: Vec<_> = parse(&text_message("wamid.2", T0 + 2 * H, "Unsubscribe!"))
        .events()
        .map(|e| g.observe(&e, &k).wait().unwrap())
        .collect();
    assert_eq!(got, [Some(Intent::OptOut)]);
    assert_eq!(
        g.check(&ana(), &Outgoing::marketing_template("sale"), T0 + 3 * H)
            .await,
        Err(Refusal::OptedOut {
            recipient: "US.13491208655302741918".to_owned(),
            template: "sale".to_owned()
        })
    );
    // The STOP message itself reopened the window.
    assert_eq!(
        g.windows()
            .state(&ana(), T0 + 3 * H)
            .await
            .unwrap()
            .closes_at(),
        Some(T0 + 2 * H + DAY)
    );
}

#[tokio::test]
async fn keyword_messages_feed_the_opt_out_store() {
    let store = InMemoryOptOutStore::new();
    let k = Keywords::default();
    let observe = |body: Vec<u8>| -> Vec<Option<Intent>> {
        parse(&body)
            .events()
            .map(|e| store.observe(&e, &k).wait().unwrap())
            .collect()
    };
    assert_eq!(observe(text_message("wamid.1", T0, "Hello")), [None]);
    assert!(store.is_empty());
    assert_eq!(
        observe(text_message("wamid.2", T0 + 1, "  STOP! ")),
        [Some(Intent::OptOut)]
    );
    assert_eq!(
        store
            .status(&UserKey::user_id("US.13491208655302741918"))
            .await
            .unwrap(),
        Some(OptOutRecord::new(Intent::OptOut, Source::Keyword, T0 + 1))
    );
    assert_eq!(
        observe(text_message("wamid.3", T0 + 2, "Start")),
        [Some(Intent::Resume)]
    );
    assert!(
        !store
            .is_opted_out(&UserKey::phone("16505551234"))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn stop_promotions_button_tap_is_an_opt_out() {
    let body = envelope(
        "messages",
        &format!(
            r#"{{{METADATA},"messages":[{{"context":{{"from":"15550783881","id":"wamid.T"}},"from":"16505551234","id":"wamid.BTN","timestamp":"{T0}","type":"button",
            "button":{{"payload":"STOP_PROMO","text":"Stop promotions"}}}}]}}"#
        ),
    );
    let store = InMemoryOptOutStore::new();
    let got: Vec<_> = parse(&body)
        .events()
        .map(|e| store.observe(&e, &Keywords::default()).wait().unwrap())
        .collect();
    assert_eq!(got, [Some(Intent::OptOut)]);
    assert!(
        store
            .is_opted_out(&UserKey::phone("16505551234"))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn user_preferences_stop_and_resume_feed_the_store_in_timestamp_order() {
    let pref = |value: &str, ts: u64| {
        envelope(
            "user_preferences",
            &format!(
                r#"{{{METADATA},"user_preferences":[{{"wa_id":"16505551234","detail":"x","category":"marketing_messages","value":"{value}","timestamp":{ts}}}]}}"#
            ),
        )
    };
    let store = InMemoryOptOutStore::new();
    let k = Keywords::default();
    for (body, expected) in [
        (pref("resume", T0 + 10), Some(Intent::Resume)),
        (pref("stop", T0), Some(Intent::OptOut)),
        (pref("snooze", T0 + 20), None),
    ] {
        let got: Vec<_> = parse(&body)
            .events()
            .map(|e| store.observe(&e, &k).wait().unwrap())
            .collect();
        assert_eq!(got, [expected]);
    }
    // The stop was older than the resume: the user is not opted out.
    assert_eq!(
        store.status(&UserKey::phone("16505551234")).await.unwrap(),
        Some(OptOutRecord::new(
            Intent::Resume,
            Source::UserPreferences,
            T0 + 10
        ))
    );
}

#[tokio::test]
async fn failed_status_131050_opts_the_recipient_out() {
    let errors = r#","errors":[{"code":131050,"title":"User has stopped receipt of marketing messages","message":"User has stopped receipt of marketing messages","error_data":{"details":"x"}}]"#;
    let other = r#","errors":[{"code":131047,"title":"Re-engagement message"}]"#;
    let store = InMemoryOptOutStore::new();
    let k = Keywords::default();
    let got: Vec<_> = parse(&status("wamid.X", "failed", T0, "16505551234", other))
        .events()
        .map(|e| store.observe(&e, &k).wait().unwrap())
        .collect();
    assert_eq!(got, [None]);
    let got: Vec<_> = parse(&status("wamid.Y", "failed", T0 + 5, "16505551234", errors))
        .events()
        .map(|e| store.observe(&e, &k).wait().unwrap())
        .collect();
    assert_eq!(got, [Some(Intent::OptOut)]);
    assert_eq!(
        store.status(&UserKey::phone("16505551234")).await.unwrap(),
        Some(OptOutRecord::new(
            Intent::OptOut,
            Source::FailedStatus,
            T0 + 5
        ))
    );
}

#[test]
fn redelivered_payload_is_caught_event_by_event() {
    let seen = InMemoryDeduplicator::default();
    let msg = parse(&text_message("wamid.A", T0, "hi"));
    let sent = parse(&status("wamid.OUT", "sent", T0, "16505551234", ""));
    let delivered = parse(&status("wamid.OUT", "delivered", T0 + 1, "16505551234", ""));
    let check = |p: &Payload, now| -> Vec<Delivery> {
        p.events()
            .map(|e| seen.check_event(&e, now).wait())
            .collect()
    };
    assert_eq!(check(&msg, T0), [Delivery::First]);
    assert_eq!(check(&sent, T0), [Delivery::First]);
    assert_eq!(check(&delivered, T0 + 1), [Delivery::First]);
    assert_eq!(check(&msg, T0 + DAY), [Delivery::Duplicate]);
    assert_eq!(check(&sent, T0 + DAY), [Delivery::Duplicate]);
    assert_eq!(check(&delivered, T0 + DAY), [Delivery::Duplicate]);
}

#[test]
fn events_without_identity_are_never_dropped() {
    let body = envelope(
        "messages",
        &format!(r#"{{{METADATA},"errors":[{{"code":130429,"title":"Rate limit hit"}}]}}"#),
    );
    let seen = InMemoryDeduplicator::default();
    let payload = parse(&body);
    for _ in 0..3 {
        let got: Vec<_> = payload
            .events()
            .map(|e| seen.check_event(&e, T0).wait())
            .collect();
        assert_eq!(got, [Delivery::First]);
    }
    assert!(payload.events().all(|e| DedupKey::of_event(&e).is_none()));
}

// ---------------------------------------------------------------------------------------------
// Fed from the conformance corpus
// ---------------------------------------------------------------------------------------------

fn corpus(file: &str) -> Payload<'static> {
    let body = common::corpus(file);
    Payload::from_slice(&body)
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn corpus_referral_message_is_an_entry_point_of_both_ids() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker
        .observe_payload(&corpus("pywa/message__referral.json"))
        .wait()
        .unwrap();
    let ts = 1_697_045_000;
    let user = UserKey::user_id("US.13491208655302741918");
    assert_eq!(
        tracker.state(&user, ts).wait().unwrap(),
        WindowState::Open {
            closes_at: ts + DAY,
            free_entry_point: FreeEntryPoint::Offered { reply_by: ts + DAY }
        }
    );
    tracker
        .record_outbound(&UserKey::phone("972987654321"), ts + 60)
        .wait()
        .unwrap();
    assert!(
        tracker
            .state(&user, ts + 60)
            .wait()
            .unwrap()
            .free_entry_point()
            .is_open()
    );
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn corpus_bsuid_only_sender_without_from_opens_the_window() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker
        .observe_payload(&corpus(
            "netflie/a_notification_with_bsuid_only_and_no_from.json",
        ))
        .wait()
        .unwrap();
    assert_eq!(
        tracker
            .state(&UserKey::user_id("BSUID_123"), 1_669_233_778)
            .wait()
            .unwrap()
            .closes_at(),
        Some(1_669_233_778 + DAY)
    );
    assert_eq!(tracker.len(), 1);
}

#[tokio::test]
async fn status_to_a_bsuid_recipient_answers_the_ad_message_of_that_user() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.record_entry_point(&ana(), T0).await.unwrap();
    tracker
        .observe_payload(&parse(&status(
            "wamid.OUT",
            "delivered",
            T0 + H,
            "US.13491208655302741918",
            "",
        )))
        .await
        .unwrap();
    assert_eq!(
        tracker
            .state(&ana(), T0 + H)
            .await
            .unwrap()
            .free_entry_point(),
        FreeEntryPoint::Open {
            closes_at: T0 + 73 * H
        }
    );
}

fn calls(calls: &str) -> Vec<u8> {
    envelope(
        "calls",
        &format!(
            r#"{{{METADATA},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"16505551234","user_id":"US.13491208655302741918"}}],"calls":[{calls}]}}"#
        ),
    )
}

#[tokio::test]
async fn user_initiated_calls_open_the_window_from_when_they_started() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker.observe_payload(&parse(&calls(&format!(
        r#"{{"id":"wacid.1","from":"16505551234","to":"15550783881","event":"connect","timestamp":{T0},"direction":"USER_INITIATED"}}"#
    )))).await.unwrap();
    assert_eq!(
        tracker.state(&ana(), T0).await.unwrap().closes_at(),
        Some(T0 + DAY)
    );

    // A terminate whose connect was lost: the window runs from `start_time`, not the hang-up.
    let later = T0 + 10 * H;
    tracker.observe_payload(&parse(&calls(&format!(
        r#"{{"id":"wacid.2","from":"16505551234","to":"15550783881","event":"terminate","timestamp":"{}","start_time":"{later}","end_time":"{}","direction":"USER_INITIATED","status":"COMPLETED"}}"#,
        later + 600,
        later + 600
    )))).await.unwrap();
    assert_eq!(
        tracker.state(&ana(), later).await.unwrap().closes_at(),
        Some(later + DAY)
    );
}

#[tokio::test]
async fn business_initiated_and_unreadable_calls_open_nothing() {
    let tracker = InMemoryWindowTracker::new(100);
    for call in [
        format!(
            r#"{{"id":"wacid.1","from":"15550783881","to":"16505551234","event":"connect","timestamp":"{T0}","direction":"BUSINESS_INITIATED"}}"#
        ),
        r#"{"id":"wacid.2","from":"16505551234","event":"connect","direction":"USER_INITIATED"}"#
            .to_owned(),
        format!(
            r#"{{"id":"wacid.3","from":"16505551234","event":"terminate","timestamp":"{T0}","direction":"USER_INITIATED","status":"FAILED"}}"#
        ),
        format!(
            r#"{{"id":"wacid.4","from":"16505551234","event":"ringing","timestamp":"{T0}","direction":"USER_INITIATED"}}"#
        ),
    ] {
        tracker
            .observe_payload(&parse(&calls(&call)))
            .await
            .unwrap();
    }
    assert!(tracker.is_empty());
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn corpus_user_initiated_call_opens_the_window_and_business_call_does_not() {
    let tracker = InMemoryWindowTracker::new(100);
    tracker
        .observe_payload(&corpus("pywa/call_connect__user_initiated.json"))
        .wait()
        .unwrap();
    let ts = 1_752_583_107;
    assert_eq!(
        tracker
            .state(&UserKey::phone("972987654321"), ts)
            .wait()
            .unwrap()
            .closes_at(),
        Some(ts + DAY)
    );
    assert!(
        tracker
            .window(&UserKey::user_id("US.13491208655302741918"))
            .wait()
            .unwrap()
            .is_some()
    );

    let other = InMemoryWindowTracker::new(100);
    other
        .observe_payload(&corpus("pywa/call_connect__business_initiated.json"))
        .wait()
        .unwrap();
    other
        .observe_payload(&corpus("pywa/call_terminate__call_terminate.json"))
        .wait()
        .unwrap();
    assert!(other.is_empty());
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn corpus_user_preferences_feed_the_store() {
    let k = Keywords::default();
    let store = InMemoryOptOutStore::new();
    let recorded: Vec<_> = corpus("piusalfred-go/MultipleChangeValues.json")
        .events()
        .filter_map(|e| store.observe(&e, &k).wait().unwrap())
        .collect();
    assert_eq!(recorded, [Intent::OptOut]);
    assert_eq!(
        store.status(&UserKey::phone("1234567890")).wait().unwrap(),
        Some(OptOutRecord::new(
            Intent::OptOut,
            Source::UserPreferences,
            1_690_000_000
        ))
    );

    for (file, intent) in [
        (
            "pywa/user_marketing_preferences__resume.json",
            Intent::Resume,
        ),
        (
            "pywa/user_marketing_preferences__signup.json",
            Intent::Resume,
        ),
    ] {
        let store = InMemoryOptOutStore::new();
        let recorded: Vec<_> = corpus(file)
            .events()
            .filter_map(|e| store.observe(&e, &k).wait().unwrap())
            .collect();
        assert_eq!(recorded, [intent], "{file}");
        assert_eq!(
            store
                .status(&UserKey::phone("16505551234"))
                .wait()
                .unwrap()
                .map(|r| r.at),
            Some(1_731_705_721),
            "{file}"
        );
    }
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn corpus_replayed_twice_yields_only_duplicates_the_second_time() {
    let dir = common::corpus_dir();
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let payloads: Vec<(String, Payload)> = index
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let file = cols.next()?;
            (cols.next() == Some("yes")).then(|| file.to_owned())
        })
        .filter_map(|file| {
            let body = std::fs::read(dir.join(&file)).ok()?;
            Some((file, Payload::from_slice(&body).ok()?.into_owned()))
        })
        .collect();
    assert!(
        payloads.len() > 100,
        "only {} webhook payloads",
        payloads.len()
    );

    let seen = InMemoryDeduplicator::new(100_000, 7 * DAY);
    let mut first_keys: HashMap<DedupKey, String> = HashMap::new();
    let mut keyed = 0;
    for (file, payload) in &payloads {
        for event in payload.events() {
            let verdict = seen.check_event(&event, T0).wait();
            if let Some(key) = DedupKey::of_event(&event) {
                keyed += 1;
                // A key is refused only when an earlier event carried the same key.
                match verdict {
                    Delivery::First => assert!(first_keys.insert(key, file.clone()).is_none()),
                    _ => assert!(first_keys.contains_key(&key), "{file}: {key:?}"),
                }
            } else {
                assert_eq!(verdict, Delivery::First);
            }
        }
    }
    assert!(keyed > 100);
    for (file, payload) in &payloads {
        for event in payload.events() {
            let expected = if DedupKey::of_event(&event).is_some() {
                Delivery::Duplicate
            } else {
                Delivery::First
            };
            assert_eq!(
                seen.check_event(&event, T0 + DAY).wait(),
                expected,
                "{file}"
            );
        }
    }
}

#[test]
fn group_statuses_of_different_participants_are_not_duplicates_of_each_other() {
    let status = |participant: &str| {
        format!(
            r#"{{"id":"wamid.G","status":"read","timestamp":"1749416500","recipient_id":"120363041234567890@g.us","recipient_type":"group","recipient_participant_id":"{participant}"}}"#
        )
    };
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550001111","phone_number_id":"2"}},"statuses":[{},{},{}]}}}}]}}]}}"#,
        status("16505551234"),
        status("16505559876"),
        status("16505551234"),
    );
    let payload = Payload::from_slice(body.as_bytes()).unwrap();
    let keys: Vec<_> = payload.events().map(|e| DedupKey::of_event(&e)).collect();
    assert_eq!(
        keys,
        [
            Some(DedupKey::status("wamid.G", "read/16505551234")),
            Some(DedupKey::status("wamid.G", "read/16505559876")),
            Some(DedupKey::status("wamid.G", "read/16505551234")),
        ]
    );
    let seen = InMemoryDeduplicator::default();
    let deliveries: Vec<_> = payload
        .events()
        .map(|e| block_on(seen.check_event(&e, 1_749_416_500)))
        .collect();
    assert_eq!(
        deliveries,
        [Delivery::First, Delivery::First, Delivery::Duplicate]
    );
}

#[test]
fn a_key_with_both_ids_sees_an_opt_out_recorded_under_the_phone_alone() {
    // A failed status (131050) names the phone only; the user's earlier resume named the BSUID only.
    let store = InMemoryOptOutStore::new();
    let bsuid = UserKey::user_id("US.13491208655302741918");
    let phone = UserKey::phone("16505551234");
    let both = UserKey::from_parts(Some("US.13491208655302741918"), Some("16505551234")).unwrap();
    block_on(store.record(&bsuid, Intent::Resume, Source::Keyword, 100)).unwrap();
    block_on(store.record(&phone, Intent::OptOut, Source::FailedStatus, 200)).unwrap();
    assert!(block_on(store.is_opted_out(&both)).unwrap());
    // Folded into one record: the BSUID alone now sees it too, and a later resume under it wins.
    assert!(block_on(store.is_opted_out(&bsuid)).unwrap());
    block_on(store.record(&bsuid, Intent::Resume, Source::Keyword, 300)).unwrap();
    assert!(!block_on(store.is_opted_out(&both)).unwrap());
    assert!(!block_on(store.is_opted_out(&phone)).unwrap());
}

#[test]
fn a_key_with_both_ids_sees_a_window_opened_under_the_phone_alone() {
    let tracker = InMemoryWindowTracker::default();
    let bsuid = UserKey::user_id("US.13491208655302741918");
    let phone = UserKey::phone("16505551234");
    let both = UserKey::from_parts(Some("US.13491208655302741918"), Some("16505551234")).unwrap();
    // The BSUID's window closed a day ago; the user wrote again, known by phone alone.
    block_on(tracker.record_inbound(&bsuid, 1_000_000)).unwrap();
    block_on(tracker.record_inbound(&phone, 1_100_000)).unwrap();
    let now = 1_100_060;
    assert!(
        !block_on(tracker.state(&bsuid, now))
            .unwrap()
            .allows_free_form()
    );
    assert!(
        block_on(tracker.state(&both, now))
            .unwrap()
            .allows_free_form()
    );
    assert!(
        block_on(tracker.state(&bsuid, now))
            .unwrap()
            .allows_free_form()
    );
}
