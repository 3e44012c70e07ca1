//! Our own fixtures cover every kind the crate models, so that a clone without the conformance
//! corpus still tests all of them: every inbound message content, status value, pricing value,
//! webhook field and invalid-item kind (`tests/fixtures/webhooks/`), every Graph error class and the
//! codes the retry policy treats specially (`tests/fixtures/graph_errors/`), and an exact wire body
//! for each outgoing message shape that `tests/messages.rs` does not already send.
//!
//! The kind lists below are checked against the variants declared in `src/` (the enums are
//! `#[non_exhaustive]`, so an exhaustive `match` cannot do it from here): a kind added to the crate
//! without a fixture that produces it fails `every_kind_the_crate_models_is_seen_in_a_fixture`.
//!
//! A well-formed fixture that the crate cannot read yet is listed in `KNOWN_BUGS`: the walk over
//! every fixture fails once it reads cleanly, so the list shrinks with the fix and the fixture gets
//! its own test then. Today the list is empty.

mod common;

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::time::Duration;
use whatsapp_cloud::client::{Client, ManualTimer};
use whatsapp_cloud::endpoint::{Endpoint, Idempotency};
use whatsapp_cloud::error::{
    ApiError, CallingErrorKind, Error, ErrorClass, FlowErrorKind, GroupErrorKind, RateLimit,
};
use whatsapp_cloud::message::{
    Audio, ButtonAction, ButtonSubType, Flow, FlowMode, Header, Interactive, MediaCard,
    MediaSource, Message, Parameter, ProductSection, ReplyButton, SendMessage, Sticker, Template,
    TemplateButton,
};
use whatsapp_cloud::retry::{RetryDecision, RetryPolicy, StopReason};
use whatsapp_cloud::webhook::{
    Category, Event, InteractiveReply, InvalidKind, MessageContent, MessageEvent, Payload,
    PreferenceValue, PricingModel, PricingType, StatusEvent, StatusKind, SystemKind, TemplateEvent,
    TemplateReason,
};
use whatsapp_cloud::{ApiContext, DEFAULT_API_VERSION};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// Helpers

fn fixture_names(dir: &str) -> Vec<String> {
    let dir = format!("{MANIFEST}/tests/fixtures/{dir}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_fixture(dir: &str, name: &str) -> Vec<u8> {
    common::fixture(&format!("{dir}/{name}"))
}

fn parse(name: &str) -> Payload<'static> {
    Payload::from_slice(&read_fixture("webhooks", name))
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn events<'a>(p: &'a Payload<'_>) -> Vec<Event<'a>> {
    p.events().collect()
}

fn messages<'a>(p: &'a Payload<'_>) -> Vec<MessageEvent<'a>> {
    p.events()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn only_message<'a>(p: &'a Payload<'_>) -> MessageEvent<'a> {
    let mut all = messages(p);
    assert_eq!(all.len(), 1, "exactly one message");
    all.remove(0)
}

fn statuses<'a>(p: &'a Payload<'_>) -> Vec<StatusEvent<'a>> {
    p.events()
        .filter_map(|e| match e {
            Event::Status(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// The variant name of an enum value, from its `Debug` form (`Text(..)` → `Text`): works on the
/// crate's `#[non_exhaustive]` enums without a wildcard arm that would hide a new variant.
fn variant<T: Debug>(value: &T) -> String {
    let shown = format!("{value:?}");
    let end = shown
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(shown.len());
    shown[..end].to_owned()
}

// ---------------------------------------------------------------------------------------------
// Every kind the crate models, and where it is declared

/// One enum whose every variant must come out of at least one own fixture.
struct Kinds {
    name: &'static str,
    file: &'static str,
    variants: &'static [&'static str],
}

/// The webhook kinds, by enum. Enums declared with `string_enum!` have an implicit `Unknown`.
#[rustfmt::skip]
const WEBHOOK_KINDS: &[Kinds] = &[
    Kinds { name: "Event", file: "src/webhook/events.rs", variants: &[
        "Message", "Status", "Error", "TemplateStatus", "TemplateQuality", "TemplateCategory",
        "AccountUpdate", "PhoneNumberQuality", "UserPreference", "Invalid", "Unknown",
        "UserIdUpdate", "Call", "CallStatus", "MessageEcho", "StateSync", "History",
        "GroupLifecycle", "GroupParticipants", "GroupSettings", "GroupStatus",
        // Account, template, phone number, Flows and ad fields.
        "AccountAlert", "AccountReview", "BusinessCapability", "PartnerSolution",
        "TemplateComponents", "PhoneNumberName", "Security", "BusinessUsername", "Flow",
        "AutomaticEvent",
        // Payments.
        "PaymentConfiguration",
    ]},
    Kinds { name: "InvalidKind", file: "src/webhook/payload.rs", variants: &[
        "Envelope", "Status", "Error", "UserPreference", "FieldValue", "Metadata", "Contact",
        "UserIdUpdate", "FieldItem",
    ]},
    Kinds { name: "MessageContent", file: "src/webhook/message/mod.rs", variants: &[
        "Text", "Image", "Audio", "Video", "Document", "Sticker", "Location", "Contacts",
        "Interactive", "Button", "Reaction", "Order", "System", "Unsupported", "RequestWelcome",
        "Edit", "Revoke", "Unknown", "Invalid",
    ]},
    Kinds { name: "UnsupportedKind", file: "src/webhook/message/unsupported.rs", variants: &[
        "Edit", "PollCreation", "PollUpdate", "Pin", "GroupInvite", "Gif", "KeepInChat",
        "LinkPreview", "Product", "Order", "Reaction", "Button", "List", "Interactive", "Image",
        "Location", "MediaPlaceholder", "Hsm", "Errors", "Unknown",
    ]},
    Kinds { name: "ContactOrigin", file: "src/webhook/message/contacts.rs", variants: &[
        "ContactRequest", "Other", "Unknown",
    ]},
    Kinds { name: "InteractiveReply", file: "src/webhook/message/interactive.rs", variants: &[
        "ButtonReply", "ListReply", "FlowReply", "CallPermissionReply", "Unknown",
    ]},
    Kinds { name: "SystemKind", file: "src/webhook/message/system.rs", variants: &[
        "UserChangedNumber", "CustomerIdentityChanged", "CustomerChangedNumber", "Unknown",
        "UserChangedUserId",
    ]},
    Kinds { name: "StatusKind", file: "src/webhook/status.rs", variants: &[
        "Sent", "Delivered", "Read", "Played", "Failed", "Unknown",
    ]},
    Kinds { name: "PricingModel", file: "src/webhook/status.rs", variants: &[
        "Pmp", "Cbp", "Unknown",
    ]},
    Kinds { name: "PricingType", file: "src/webhook/status.rs", variants: &[
        "Regular", "FreeCustomerService", "FreeEntryPoint", "Unknown",
    ]},
    Kinds { name: "Category", file: "src/webhook/status.rs", variants: &[
        "Authentication", "AuthenticationInternational", "Marketing", "MarketingLite",
        "ReferralConversion", "Service", "Utility", "BusinessInitiated", "UserInitiated", "Unknown",
    ]},
    Kinds { name: "TemplateEvent", file: "src/webhook/fields/templates.rs", variants: &[
        "Approved", "Rejected", "Pending", "Disabled", "Paused", "Flagged", "Reinstated",
        "PendingDeletion", "Deleted", "InAppeal", "Archived", "LimitExceeded", "Unknown",
    ]},
    Kinds { name: "PreferenceValue", file: "src/webhook/fields/preferences.rs", variants: &[
        "Stop", "Resume", "Unknown",
    ]},
    Kinds { name: "CallEventKind", file: "src/webhook/calls.rs", variants: &[
        "Connect", "Terminate", "CallCreated", "RecordingAvailable", "TranscriptionAvailable",
        "Unknown",
    ]},
    Kinds { name: "CallDirection", file: "src/webhook/calls.rs", variants: &[
        "UserInitiated", "BusinessInitiated", "Unknown",
    ]},
    Kinds { name: "CallOutcome", file: "src/webhook/calls.rs", variants: &[
        "Completed", "Failed", "Unknown",
    ]},
    Kinds { name: "CallStatusKind", file: "src/webhook/calls.rs", variants: &[
        "Ringing", "Accepted", "Rejected", "Unknown",
    ]},
    Kinds { name: "StateSyncAction", file: "src/webhook/state_sync.rs", variants: &[
        "Add", "Remove", "Unknown",
    ]},
    Kinds { name: "HistoryStatus", file: "src/webhook/history.rs", variants: &[
        "Sent", "Delivered", "Read", "Played", "Pending", "Error", "Unknown",
    ]},
    Kinds { name: "GroupLifecycleKind", file: "src/webhook/groups.rs", variants: &[
        "Create", "Delete", "Unknown",
    ]},
    Kinds { name: "GroupParticipantsKind", file: "src/webhook/groups.rs", variants: &[
        "Add", "Remove", "JoinRequestCreated", "JoinRequestRevoked", "Unknown",
    ]},
    Kinds { name: "GroupStatusKind", file: "src/webhook/groups.rs", variants: &[
        "Suspend", "SuspendCleared", "Unknown",
    ]},
    Kinds { name: "TemplateReason", file: "src/webhook/fields/templates.rs", variants: &[
        "NoReason", "AbusiveContent", "CategoryNotAvailable", "IncorrectCategory", "InvalidFormat",
        "Promotional", "Scam", "TagContentMismatch", "Unknown",
    ]},
    Kinds { name: "AccountEvent", file: "src/webhook/fields/account.rs", variants: &[
        "VerifiedAccount", "DisabledUpdate", "AccountViolation", "AccountRestriction",
        "AccountDeleted", "AccountOffboarded", "AccountReconnected", "PartnerAdded",
        "PartnerRemoved", "PartnerAppInstalled", "PartnerAppUninstalled",
        "PartnerClientCertificationStatusUpdate", "AdAccountLinked", "MmLiteTermsSigned",
        "AuthIntlPriceEligibilityUpdate", "BusinessPrimaryLocationCountryUpdate",
        "VolumeBasedPricingTierUpdate", "Unknown",
    ]},
    Kinds { name: "BanState", file: "src/webhook/fields/account.rs", variants: &[
        "ScheduleForDisable", "Disable", "Reinstate", "Unknown",
    ]},
    Kinds { name: "RestrictionType", file: "src/webhook/fields/account.rs", variants: &[
        "RestrictedAddPhoneNumberAction", "RestrictedBizInitiatedMessaging",
        "RestrictedCustomerInitiatedMessaging", "Unknown",
    ]},
    Kinds { name: "AlertEntityType", file: "src/webhook/fields/account.rs", variants: &[
        "Business", "PhoneNumber", "CurrentStatusId", "Unknown",
    ]},
    Kinds { name: "Decision", file: "src/webhook/fields/account.rs", variants: &[
        "Approved", "Rejected", "Pending", "Deferred", "Unknown",
    ]},
    Kinds { name: "MessagingLimit", file: "src/webhook/fields/account.rs", variants: &[
        "Count", "Tier",
    ]},
    Kinds { name: "SolutionEvent", file: "src/webhook/fields/account.rs", variants: &[
        "SolutionCreated", "SolutionUpdated", "Unknown",
    ]},
    Kinds { name: "SolutionStatus", file: "src/webhook/fields/account.rs", variants: &[
        "Active", "Deactivated", "Draft", "Initiated", "PendingDeactivation", "Rejected", "Unknown",
    ]},
    Kinds { name: "SecurityEvent", file: "src/webhook/fields/phone_number.rs", variants: &[
        "PinChanged", "PinResetRequest", "PinRequestSuccess", "Unknown",
    ]},
    Kinds { name: "UsernameStatus", file: "src/webhook/fields/phone_number.rs", variants: &[
        "Approved", "Reserved", "Deleted", "Unknown",
    ]},
    Kinds { name: "FlowEvent", file: "src/webhook/fields/flows.rs", variants: &[
        "FlowStatusChange", "ClientErrorRate", "EndpointErrorRate", "EndpointLatency",
        "EndpointAvailability", "FlowVersionExpiryWarning", "Unknown",
    ]},
    Kinds { name: "FlowStatus", file: "src/webhook/fields/flows.rs", variants: &[
        "Draft", "Published", "Deprecated", "Blocked", "Throttled", "Unknown",
    ]},
    Kinds { name: "FlowAlertState", file: "src/webhook/fields/flows.rs", variants: &[
        "Activated", "Deactivated", "Unknown",
    ]},
    Kinds { name: "AutomaticEventName", file: "src/webhook/fields/automatic.rs", variants: &[
        "LeadSubmitted", "Purchase", "Unknown",
    ]},
];

#[rustfmt::skip]
const ERROR_CLASS: Kinds = Kinds { name: "ErrorClass", file: "src/error.rs", variants: &[
    "RateLimited", "OutsideWindow", "AuthInvalid", "Permission", "Template", "Undeliverable",
    "OptedOut", "UserIdNotSupported", "Transient", "InvalidParameter", "Policy", "Media",
    "PhoneNumber", "Flow", "Other",
    "MarketingBlockedOnCloudApi", "MarketingTemplatesOnly", "TemplateSyncing", "MarketingUnavailable",
    // Operations.
    "BlockFailed", "BlocklistFull", "BlocklistChanged", "UsernameTaken", "UsernameIneligible",
    "UsernameNeedsLinkedAccount", "UsernameHeldInPortfolio",
    "Calling",
    "PaymentsTermsPending",
    "Group",
]};

#[rustfmt::skip]
const GROUP_ERROR_KIND: Kinds = Kinds { name: "GroupErrorKind", file: "src/error.rs", variants: &[
    "SingleMember", "UnknownGroup", "InvalidCursor", "PartialSuccess", "DuplicateParticipant",
    "ParticipantLimit", "Suspended", "PictureNotSquare", "PictureTooSmall", "GroupLimit",
    "NotAParticipant", "UnknownJoinRequest", "CreationPaused", "NotEligible",
]};

#[rustfmt::skip]
const FLOW_ERROR_KIND: Kinds = Kinds { name: "FlowErrorKind", file: "src/error.rs", variants: &[
    "IntegrityBlocked", "UpdateRefused", "PublishRefused", "DeprecateRefused", "DeleteRefused",
    "NotEnoughMetricData",
]};

#[rustfmt::skip]
const RATE_LIMIT: Kinds = Kinds { name: "RateLimit", file: "src/error.rs", variants: &[
    "Throughput", "App", "Account", "Spam", "Pair", "ConcurrentCalls", "CallRate", "Group",
]};

#[rustfmt::skip]
const CALLING_ERROR_KIND: Kinds = Kinds { name: "CallingErrorKind", file: "src/error/calling.rs", variants: &[
    "NotEnabled", "Uncallable", "DuplicateCall", "ConnectionFailed", "NoPermission",
    "ConnectionTimeout", "PermissionRequestLimit", "DailyCallLimit", "NotAvailableInCountry",
    "TemporarilyDisabled", "CannotEnable", "PermanentPermissionExists", "PrerequisitesUnmet",
    "MediaFailure", "NoPaymentMethod", "Other",
]};

/// The variants of `name` as declared in `file`: a `pub enum` block, or a `string_enum!` block
/// (whose `Unknown` variant the macro adds).
fn declared_variants(file: &str, name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{MANIFEST}/{file}"))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let plain = [
        format!("pub enum {name} {{"),
        format!("pub enum {name}<'a> {{"),
    ];
    let macro_form = format!("{name} {{");
    // A `string_enum!` block opens with `Name {` right after the macro call and the enum's docs.
    let opens_macro = |i: usize| {
        lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.starts_with("///") && !l.starts_with("#["))
            == Some("string_enum! {")
    };
    let (start, from_macro) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| {
            let t = l.trim();
            if plain.iter().any(|p| t == p) {
                Some((i, false))
            } else if t == macro_form && opens_macro(i) {
                Some((i, true))
            } else {
                None
            }
        })
        .unwrap_or_else(|| panic!("enum {name} not found in {file}"));
    let base = indent(lines[start]);
    let mut variants = BTreeSet::new();
    for line in &lines[start + 1..] {
        if line.trim() == "}" && indent(line) == base {
            break;
        }
        let t = line.trim_start();
        if indent(line) == base + 4 && t.starts_with(|c: char| c.is_ascii_uppercase()) {
            let end = t
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(t.len());
            variants.insert(t[..end].to_owned());
        }
    }
    if from_macro {
        variants.insert("Unknown".to_owned());
    }
    assert!(
        !variants.is_empty(),
        "no variants of {name} read from {file}"
    );
    variants
}

#[test]
fn kind_lists_name_every_variant_declared_in_src() {
    for kinds in WEBHOOK_KINDS.iter().chain([
        &ERROR_CLASS,
        &RATE_LIMIT,
        &FLOW_ERROR_KIND,
        &CALLING_ERROR_KIND,
        &GROUP_ERROR_KIND,
    ]) {
        let listed: BTreeSet<String> = kinds.variants.iter().map(|v| (*v).to_owned()).collect();
        assert_eq!(
            listed.len(),
            kinds.variants.len(),
            "{}: a variant is listed twice",
            kinds.name
        );
        assert_eq!(
            declared_variants(kinds.file, kinds.name),
            listed,
            "{} in {}: the list here must name every declared variant (add a fixture for a new one)",
            kinds.name,
            kinds.file
        );
    }
}

/// The kinds one delivery produces, as `Enum::Variant`.
fn kinds_seen(p: &Payload<'_>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut add = |enum_name: &str, v: String| {
        seen.insert(format!("{enum_name}::{v}"));
    };
    for event in p.events() {
        add("Event", variant(&event));
        match &event {
            Event::Message(m) => {
                add("MessageContent", variant(m.content()));
                match m.content() {
                    MessageContent::Interactive(r) => add("InteractiveReply", variant(r)),
                    MessageContent::System(s) => add("SystemKind", variant(&s.kind)),
                    MessageContent::Unsupported(u) => {
                        if let Some(k) = &u.kind {
                            add("UnsupportedKind", variant(k));
                        }
                    }
                    MessageContent::Contacts(c) => {
                        let cards = c.contacts.iter().filter_map(|card| card.origin.as_ref());
                        for origin in c.origin.iter().chain(cards) {
                            add("ContactOrigin", variant(origin));
                        }
                    }
                    _ => {}
                }
            }
            Event::Status(s) => {
                add("StatusKind", variant(s.status()));
                if let Some(pricing) = &s.update().pricing {
                    if let Some(m) = &pricing.pricing_model {
                        add("PricingModel", variant(m));
                    }
                    if let Some(t) = &pricing.kind {
                        add("PricingType", variant(t));
                    }
                    if let Some(c) = &pricing.category {
                        add("Category", variant(c));
                    }
                }
                if let Some(origin) = s
                    .update()
                    .conversation
                    .as_ref()
                    .and_then(|c| c.origin.as_ref())
                {
                    add("Category", variant(&origin.kind));
                }
            }
            Event::TemplateStatus(t) => {
                add("TemplateEvent", variant(&t.update().event));
                if let Some(r) = &t.update().reason {
                    add("TemplateReason", variant(r));
                }
            }
            Event::UserPreference(u) => add("PreferenceValue", variant(&u.update().value)),
            Event::Invalid(i) => add("InvalidKind", variant(&i.kind())),
            Event::Call(c) => {
                let call = c.update();
                add("CallEventKind", variant(&call.event));
                if let Some(d) = &call.direction {
                    add("CallDirection", variant(d));
                }
                if let Some(o) = &call.status {
                    add("CallOutcome", variant(o));
                }
            }
            Event::CallStatus(s) => add("CallStatusKind", variant(&s.update().status)),
            Event::StateSync(s) => add("StateSyncAction", variant(&s.update().action)),
            Event::History(h) => {
                for m in h.messages() {
                    if let Some(status) = &m.status {
                        add("HistoryStatus", variant(status));
                    }
                }
            }
            Event::GroupLifecycle(g) => add("GroupLifecycleKind", variant(&g.update().kind)),
            Event::GroupParticipants(g) => add("GroupParticipantsKind", variant(&g.update().kind)),
            Event::GroupStatus(g) => add("GroupStatusKind", variant(&g.update().kind)),
            _ => field_kinds(&event, &mut add),
        }
    }
    seen
}

/// The kinds of the account, template, phone number, Flows and ad fields.
fn field_kinds(event: &Event<'_>, add: &mut impl FnMut(&str, String)) {
    match event {
        Event::AccountUpdate(a) => {
            let u = a.update();
            if let Some(e) = &u.event {
                add("AccountEvent", variant(e));
            }
            if let Some(state) = u.ban_info.as_ref().and_then(|b| b.waba_ban_state.as_ref()) {
                add("BanState", variant(state));
            }
            for r in &u.restriction_info {
                if let Some(t) = &r.restriction_type {
                    add("RestrictionType", variant(t));
                }
            }
        }
        Event::AccountAlert(a) => add("AlertEntityType", variant(&a.update().entity_type)),
        Event::AccountReview(r) => add("Decision", variant(&r.update().decision)),
        Event::PhoneNumberName(n) => add("Decision", variant(&n.update().decision)),
        Event::BusinessCapability(c) => {
            let u = c.update();
            for limit in [
                &u.max_daily_conversations_per_business,
                &u.max_daily_conversation_per_phone,
            ]
            .into_iter()
            .flatten()
            {
                add("MessagingLimit", variant(limit));
            }
        }
        Event::PartnerSolution(s) => {
            add("SolutionEvent", variant(&s.update().event));
            if let Some(st) = &s.update().solution_status {
                add("SolutionStatus", variant(st));
            }
        }
        Event::Security(s) => add("SecurityEvent", variant(&s.update().event)),
        Event::BusinessUsername(u) => add("UsernameStatus", variant(&u.update().status)),
        Event::Flow(f) => {
            let u = f.update();
            add("FlowEvent", variant(&u.event));
            for st in [&u.old_status, &u.new_status].into_iter().flatten() {
                add("FlowStatus", variant(st));
            }
            if let Some(a) = &u.alert_state {
                add("FlowAlertState", variant(a));
            }
        }
        Event::AutomaticEvent(a) => add("AutomaticEventName", variant(&a.update().event_name)),
        _ => {}
    }
}

#[test]
fn every_kind_the_crate_models_is_seen_in_a_fixture() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for name in fixture_names("webhooks") {
        for kind in kinds_seen(&parse(&name)) {
            seen.entry(kind).or_insert_with(|| name.clone());
        }
    }
    let expected: BTreeSet<String> = WEBHOOK_KINDS
        .iter()
        .flat_map(|k| k.variants.iter().map(move |v| format!("{}::{v}", k.name)))
        .collect();
    let missing: Vec<&String> = expected.iter().filter(|k| !seen.contains_key(*k)).collect();
    assert!(missing.is_empty(), "kinds without a fixture: {missing:?}");
    let unlisted: Vec<(&String, &String)> = seen
        .iter()
        .filter(|(k, _)| !expected.contains(*k))
        .collect();
    assert!(
        unlisted.is_empty(),
        "kinds seen in fixtures but missing from the lists here: {unlisted:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Every fixture parses cleanly, except the ones written to be malformed

/// Fixtures that carry malformed items on purpose; every other fixture must read without any.
const MALFORMED: &[&str] = &[
    "interactive_without_object.json",
    "listed_malformed_items.json",
    "malformed_envelope.json",
    "malformed_items.json",
    "malformed_metadata_and_contact.json",
    "one_corrupted_message.json",
    "user_id_update_malformed_item.json",
];

/// Well-formed fixtures that the crate does not read yet: each has an ignored test naming the bug.
/// They must still show the problem, so that the fix takes them off this list.
const KNOWN_BUGS: &[&str] = &[];

/// How many events a well-formed delivery holds: one per message, status, value-level error and
/// preference of a `messages`/`user_preferences` change and user id update of a `user_id_update`
/// change; one per call, call status, echo, state-sync item, group update and value-level error of
/// a listed field, and per history thread (or chunk without threads); one per change of any other
/// field.
fn items_in(body: &Value) -> usize {
    let mut n = 0;
    for entry in body["entry"].as_array().expect("entry array") {
        for change in entry["changes"].as_array().expect("changes array") {
            let field = change["field"].as_str().expect("field");
            let count = |key: &str| change["value"][key].as_array().map_or(0, Vec::len);
            if ["messages", "user_preferences", "user_id_update"].contains(&field) {
                for key in [
                    "messages",
                    "statuses",
                    "errors",
                    "user_preferences",
                    "user_id_update",
                ] {
                    n += count(key);
                }
            } else if let Some(list) = listed_items(field) {
                n += count(list) + count("errors");
                if field == "calls" {
                    n += count("statuses");
                }
                if field == "history" {
                    // One event per thread, or one for a chunk without threads; the messages and
                    // echoes of a delivery of earlier media.
                    n += count("messages") + count("message_echoes");
                    n -= count(list);
                    for chunk in change["value"]["history"].as_array().into_iter().flatten() {
                        n += chunk["threads"].as_array().map_or(0, Vec::len).max(1);
                    }
                }
            } else if field == "automatic_events" {
                n += change["value"][field].as_array().map_or(0, Vec::len);
            } else {
                n += 1;
            }
        }
    }
    n
}

/// The list key of a listed field (one event per item).
fn listed_items(field: &str) -> Option<&'static str> {
    Some(match field {
        "calls" => "calls",
        "smb_message_echoes" => "message_echoes",
        "smb_app_state_sync" => "state_sync",
        "history" => "history",
        "group_lifecycle_update"
        | "group_participants_update"
        | "group_settings_update"
        | "group_status_update" => "groups",
        _ => return None,
    })
}

#[test]
fn every_webhook_fixture_reads_without_invalid_items_except_the_malformed_ones() {
    let names = fixture_names("webhooks");
    for listed in MALFORMED.iter().chain(KNOWN_BUGS) {
        assert!(names.iter().any(|n| n == listed), "{listed} is gone");
    }
    for name in &names {
        assert!(name.ends_with(".json"), "{name}: not a JSON fixture");
        let bytes = read_fixture("webhooks", name);
        let p = Payload::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let problems: Vec<String> = p
            .events()
            .filter_map(|e| match e {
                Event::Invalid(i) => Some(format!("{:?}: {}", i.kind(), i.error())),
                Event::Message(m) => match m.content() {
                    MessageContent::Invalid(i) => Some(format!("message {}: {}", m.id(), i.error)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if MALFORMED.contains(&name.as_str()) {
            assert!(!problems.is_empty(), "{name} is meant to be malformed");
        } else {
            if KNOWN_BUGS.contains(&name.as_str()) {
                assert!(
                    !problems.is_empty(),
                    "{name} reads cleanly now: take it off KNOWN_BUGS and un-ignore its test"
                );
            } else {
                assert!(problems.is_empty(), "{name}: {problems:?}");
            }
            let body: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(
                p.events().count(),
                items_in(&body),
                "{name}: an item was lost"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

#[test]
fn unknown_interactive_reply_keeps_its_object_and_context() {
    let p = parse("interactive_unknown_reply.json");
    let m = only_message(&p);
    let MessageContent::Interactive(InteractiveReply::Unknown { kind, raw }) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(kind, "product_reply");
    assert_eq!(
        raw["product_reply"]["product_retailer_id"],
        "kettle-steel-1l"
    );
    assert_eq!(raw["product_reply"]["catalog_id"], "318204759163842");
    assert_eq!(m.message().kind(), "interactive");
    assert_eq!(m.from(), Some("447700900123"));
    assert_eq!(m.sender_name(), Some("Tom Okafor"));
    assert!(
        m.message()
            .context()
            .and_then(|c| c.id.as_ref())
            .is_some_and(|id| id.as_str().starts_with("wamid.HBgL"))
    );
}

#[test]
fn older_customer_changed_number_reads_new_wa_id_and_customer() {
    let p = parse("system_customer_changed_number.json");
    let m = only_message(&p);
    let MessageContent::System(s) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(s.kind, SystemKind::CustomerChangedNumber);
    assert_eq!(s.new_wa_id.as_deref(), Some("14155550188"));
    assert_eq!(s.customer.as_deref(), Some("14155550123"));
    assert_eq!(
        s.body.as_deref(),
        Some("Priya Raman changed from 14155550123 to 14155550188")
    );
    assert!(s.identity.is_none());
    assert_eq!(m.from(), Some("14155550123"));
    assert_eq!(m.timestamp(), 1_672_531_260);
}

#[test]
fn user_changed_user_id_is_a_typed_system_message_with_both_bsuids() {
    let p = parse("system_user_changed_user_id.json");
    let m = only_message(&p);
    let MessageContent::System(s) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(s.kind, SystemKind::UserChangedUserId);
    assert_eq!(s.kind.as_str(), "user_changed_user_id");
    assert!(s.is_id_change());
    assert_eq!(
        s.previous_user_id.as_ref().map(|u| u.as_str()),
        Some("BR.70412398765012345678")
    );
    assert_eq!(
        s.user_id.as_ref().map(|u| u.as_str()),
        Some("BR.70412398765099887766")
    );
    assert_eq!(s.previous_parent_user_id, None);
    assert!(
        s.body
            .as_deref()
            .is_some_and(|b| b.ends_with("to BR.70412398765099887766"))
    );
    assert_eq!(s.new_wa_id, None);
    // No phone number and no contacts: the sender is known by the BSUID on the message only.
    assert_eq!(m.from(), None);
    assert_eq!(m.user_id(), Some("BR.70412398765099887766"));
    assert!(m.contact().is_none());
}

#[test]
fn interactive_message_without_its_object_is_invalid_next_to_its_value_error() {
    let p = parse("interactive_without_object.json");
    let ev = events(&p);
    assert_eq!(ev.len(), 2);
    let Event::Message(m) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    let MessageContent::Invalid(invalid) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(invalid.kind.as_deref(), Some("interactive"));
    assert!(invalid.error.contains("`interactive`"), "{}", invalid.error);
    assert_eq!(invalid.raw["from"], "5511955550123");
    // The common fields are kept, so the message can still be acknowledged and answered.
    assert!(m.id().starts_with("wamid.HBgN"));
    assert_eq!(m.from(), Some("5511955550123"));
    assert_eq!(m.timestamp(), 1_761_904_000);
    assert!(m.message().context().and_then(|c| c.id.as_ref()).is_some());
    assert_eq!(m.sender_name(), Some("Ana Beatriz Souza"));

    let Event::Error(e) = &ev[1] else {
        panic!("{:?}", ev[1])
    };
    assert_eq!(e.error().code, 131000);
    assert_eq!(e.error().class(), ErrorClass::Transient);
    assert_eq!(e.error().details(), Some("Unsupported webhook payload"));
    assert_eq!(e.phone_number_id(), Some("120573946281735"));
}

// ---------------------------------------------------------------------------------------------
// Statuses

#[test]
fn per_message_pricing_names_every_current_category() {
    let p = parse("status_pricing_categories.json");
    let s = statuses(&p);
    let seen: Vec<(StatusKind, Option<bool>, PricingType, Category)> = s
        .iter()
        .map(|s| {
            let pricing = s.update().pricing.as_ref().expect("pricing");
            assert_eq!(pricing.pricing_model, Some(PricingModel::Pmp));
            (
                s.status().clone(),
                pricing.billable,
                pricing.kind.clone().expect("type"),
                pricing.category.clone().expect("category"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                StatusKind::Sent,
                Some(true),
                PricingType::Regular,
                Category::Authentication
            ),
            (
                StatusKind::Delivered,
                Some(true),
                PricingType::Regular,
                Category::Marketing
            ),
            (
                StatusKind::Sent,
                Some(true),
                PricingType::Regular,
                Category::MarketingLite
            ),
            (
                StatusKind::Read,
                Some(false),
                PricingType::FreeCustomerService,
                Category::Service
            ),
            (
                StatusKind::Sent,
                Some(false),
                PricingType::FreeCustomerService,
                Category::Utility
            ),
        ]
    );
    assert_eq!(
        s[0].update().recipient_user_id.as_ref().map(|u| u.as_str()),
        Some("US.60918273645509182736")
    );
    assert_eq!(
        s[4].update().biz_opaque_callback_data.as_deref(),
        Some("receipt=4471")
    );
    assert!(s.iter().all(|s| s.update().conversation.is_none()));
}

#[test]
fn conversation_based_pricing_keeps_the_pre_2023_categories() {
    let p = parse("status_cbp_legacy_categories.json");
    let s = statuses(&p);
    assert_eq!(s.len(), 2);
    for (status, category) in s
        .iter()
        .zip([Category::BusinessInitiated, Category::UserInitiated])
    {
        let pricing = status.update().pricing.as_ref().unwrap();
        assert_eq!(pricing.pricing_model, Some(PricingModel::Cbp));
        assert_eq!(pricing.category.as_ref(), Some(&category));
        assert_eq!(pricing.kind, None);
        let origin = status
            .update()
            .conversation
            .as_ref()
            .and_then(|c| c.origin.as_ref());
        assert_eq!(origin.map(|o| &o.kind), Some(&category));
    }
    let first = s[0].update().conversation.as_ref().unwrap();
    assert_eq!(
        first.id.as_deref(),
        Some("8c4f1b2e9d7a6c5b3e2f1a0d9c8b7a6e")
    );
    assert_eq!(first.expiration_timestamp, Some(1_669_939_200));
    // `expiration_timestamp` comes on `sent` only.
    assert_eq!(
        s[1].update()
            .conversation
            .as_ref()
            .unwrap()
            .expiration_timestamp,
        None
    );
    assert_eq!(s[1].status(), &StatusKind::Delivered);
}

#[test]
fn unknown_pricing_model_is_kept_as_sent() {
    let p = parse("status_unknown_pricing_model.json");
    let s = statuses(&p);
    assert_eq!(s.len(), 1);
    let pricing = s[0].update().pricing.as_ref().unwrap();
    assert_eq!(
        pricing.pricing_model,
        Some(PricingModel::Unknown("TIERED".into()))
    );
    assert_eq!(
        pricing.pricing_model.as_ref().map(PricingModel::as_str),
        Some("TIERED")
    );
    assert_eq!(pricing.kind, Some(PricingType::Regular));
    assert_eq!(pricing.category, Some(Category::Marketing));
}

#[test]
fn failed_statuses_carry_classified_errors() {
    let p = parse("status_failed_errors.json");
    let s = statuses(&p);
    let got: Vec<(i64, ErrorClass)> = s
        .iter()
        .map(|s| {
            assert!(s.update().is_failed());
            assert_eq!(s.errors().len(), 1);
            let e = &s.errors()[0];
            assert_eq!(e.title.as_deref(), Some(e.message.as_str()));
            assert!(e.details().is_some_and(|d| !d.is_empty()));
            assert!(e.href.as_deref().is_some_and(|h| h.starts_with("https://")));
            (e.code, e.class())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (131026, ErrorClass::Undeliverable),
            (131049, ErrorClass::Undeliverable),
            (131050, ErrorClass::OptedOut),
            (131053, ErrorClass::Media),
            (131048, ErrorClass::RateLimited(RateLimit::Spam)),
            (131056, ErrorClass::RateLimited(RateLimit::Pair)),
            (130472, ErrorClass::Undeliverable),
        ]
    );
    assert!(
        s[3].errors()[0]
            .details()
            .unwrap()
            .contains("http code 404")
    );
    assert!(s.iter().all(|s| s.update().pricing.is_none()));
}

// ---------------------------------------------------------------------------------------------
// Other fields

#[test]
fn every_template_status_event_is_typed() {
    let p = parse("template_status_events.json");
    let ev = events(&p);
    let got: Vec<(TemplateEvent, u64)> = ev
        .iter()
        .map(|e| {
            let Event::TemplateStatus(t) = e else {
                panic!("{e:?}")
            };
            assert_eq!(
                t.update().message_template_language.as_deref(),
                Some("pt_BR")
            );
            (t.update().event.clone(), t.update().message_template_id)
        })
        .collect();
    let expected = [
        TemplateEvent::Pending,
        TemplateEvent::Disabled,
        TemplateEvent::Paused,
        TemplateEvent::Flagged,
        TemplateEvent::Reinstated,
        TemplateEvent::PendingDeletion,
        TemplateEvent::Deleted,
        TemplateEvent::InAppeal,
        TemplateEvent::Archived,
        TemplateEvent::LimitExceeded,
        TemplateEvent::Unknown("LOCKED".into()),
    ];
    assert_eq!(
        got,
        expected
            .into_iter()
            .zip(924_571_036_482_915..)
            .collect::<Vec<_>>()
    );
    let Event::TemplateStatus(flagged) = &ev[3] else {
        unreachable!()
    };
    assert_eq!(
        flagged.update().reason,
        None,
        "`reason: null` reads as no reason"
    );
    let raw: Value = serde_json::from_str(flagged.raw().unwrap().get()).unwrap();
    assert_eq!(raw["disable_info"]["disable_date"], "November 14, 2025");
    assert_eq!(
        flagged
            .update()
            .disable_info
            .as_ref()
            .and_then(|d| d.disable_date.as_deref()),
        Some("November 14, 2025")
    );
    assert_eq!(flagged.context().entry_time(), Some(1_761_930_180));
    assert_eq!(flagged.waba_id(), "118843920571234");
    let Event::TemplateStatus(pending) = &ev[0] else {
        unreachable!()
    };
    assert_eq!(pending.update().reason, Some(TemplateReason::NoReason));
    assert_eq!(
        pending.update().reason.as_ref().map(|r| r.as_str()),
        Some("NONE")
    );
    assert_eq!(
        pending.update().message_template_name.as_deref(),
        Some("spring_sale_00")
    );
}

#[test]
fn marketing_preference_resume_and_an_unknown_value_are_typed() {
    let p = parse("user_preferences_resume_and_signup.json");
    let ev = events(&p);
    assert_eq!(ev.len(), 2);
    let prefs: Vec<_> = ev
        .iter()
        .map(|e| match e {
            Event::UserPreference(u) => *u,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(prefs[0].update().value, PreferenceValue::Resume);
    assert_eq!(prefs[0].update().wa_id.as_deref(), Some("14155550123"));
    assert_eq!(
        prefs[0].update().user_id.as_ref().map(|u| u.as_str()),
        Some("US.60918273645509182736")
    );
    assert_eq!(prefs[0].update().timestamp, 1_761_940_000);
    assert_eq!(prefs[0].update().category, "marketing_messages");
    assert_eq!(
        prefs[1].update().value,
        PreferenceValue::Unknown("signup".into())
    );
    assert_eq!(prefs[1].update().wa_id.as_deref(), Some("447700900123"));
    assert_eq!(prefs[1].update().user_id, None);
    assert_eq!(
        prefs[1].update().detail.as_deref(),
        Some("User signed up via signup link")
    );
    assert_eq!(prefs[1].context().field(), "user_preferences");
    assert_eq!(prefs[1].phone_number_id(), Some("120573946281735"));
}

#[test]
fn quality_downgrade_reads_the_older_per_phone_limit() {
    let p = parse("phone_number_quality_update_downgrade.json");
    let ev = events(&p);
    assert_eq!(ev.len(), 1);
    let Event::PhoneNumberQuality(q) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert_eq!(q.update().event, "DOWNGRADE");
    assert_eq!(q.update().current_limit.as_deref(), Some("TIER_1K"));
    assert_eq!(q.update().max_daily_conversation_per_phone, Some(1000));
    assert_eq!(q.update().max_daily_conversations_per_business, None);
    assert_eq!(
        q.update().display_phone_number.as_deref(),
        Some("15550194422")
    );
    assert_eq!(q.context().entry_time(), Some(1_745_000_000));
}

// ---------------------------------------------------------------------------------------------
// Malformed items

#[test]
fn malformed_error_preference_and_field_value_are_isolated_invalid_events() {
    let p = parse("malformed_items.json");
    let ev = events(&p);
    assert_eq!(ev.len(), 5, "{ev:#?}");
    assert!(matches!(&ev[0], Event::Status(s) if s.status() == &StatusKind::Delivered));

    let Event::Invalid(bad_error) = &ev[1] else {
        panic!("{:?}", ev[1])
    };
    assert_eq!(bad_error.kind(), InvalidKind::Error);
    assert!(bad_error.error().contains("code"), "{}", bad_error.error());
    assert_eq!(bad_error.raw().unwrap()["title"], "Rate limit hit");
    assert!(matches!(&ev[2], Event::Error(e) if e.error().code == 131000));

    let Event::Invalid(bad_pref) = &ev[3] else {
        panic!("{:?}", ev[3])
    };
    assert_eq!(bad_pref.kind(), InvalidKind::UserPreference);
    assert!(bad_pref.error().contains("value"), "{}", bad_pref.error());
    assert_eq!(bad_pref.raw().unwrap()["wa_id"], "5511955550123");
    assert_eq!(bad_pref.context().field(), "user_preferences");

    let Event::Invalid(bad_field) = &ev[4] else {
        panic!("{:?}", ev[4])
    };
    assert_eq!(bad_field.kind(), InvalidKind::FieldValue);
    assert!(
        bad_field.error().contains("new_quality_score"),
        "{}",
        bad_field.error()
    );
    assert_eq!(
        bad_field.context().field(),
        "message_template_quality_update"
    );
    let raw: Value = serde_json::from_str(bad_field.context().raw_value().unwrap().get()).unwrap();
    assert_eq!(raw["message_template_name"], "order_shipped");
}

#[test]
fn malformed_entries_and_changes_cost_nothing_else() {
    let p = parse("malformed_envelope.json");
    let ev = events(&p);
    assert_eq!(ev.len(), 4, "{ev:#?}");
    for e in &ev[..3] {
        let Event::Invalid(i) = e else {
            panic!("{e:?}")
        };
        assert_eq!(i.kind(), InvalidKind::Envelope, "{i:?}");
    }
    let Event::Message(m) = &ev[3] else {
        panic!("{:?}", ev[3])
    };
    assert_eq!(m.text(), Some("Is the shop open on Sunday?"));
    assert_eq!(m.sender_name(), Some("Priya Raman"));
    assert_eq!(m.waba_id(), "118843920571234");
}

// ---------------------------------------------------------------------------------------------
// Graph API error bodies

/// What the retry policy must do after the first failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Retry {
    /// Exponential back-off: the policy's base delay.
    Backoff,
    /// Meta's 4^n seconds schedule for the pair rate limit.
    PairSchedule,
    /// Never retried.
    Never,
}

struct GraphCase {
    file: &'static str,
    /// The HTTP status Meta answers with (Meta's "Error codes" page), or the proxy's.
    status: u16,
    /// `None` for bodies that are not a Graph error.
    code: Option<i64>,
    class: ErrorClass,
    retry: Retry,
}

const fn case(
    file: &'static str,
    status: u16,
    code: Option<i64>,
    class: ErrorClass,
    retry: Retry,
) -> GraphCase {
    GraphCase {
        file,
        status,
        code,
        class,
        retry,
    }
}

use CallingErrorKind as K;
use ErrorClass as C;
use FlowErrorKind as F;
use GroupErrorKind as G;
use RateLimit as L;
use Retry::{Backoff, Never, PairSchedule};

#[rustfmt::skip]
const GRAPH_CASES: &[GraphCase] = &[
    case("rate_limit_hit_130429.json", 400, Some(130429), C::RateLimited(L::Throughput), Backoff),
    case("api_too_many_calls_4.json", 400, Some(4), C::RateLimited(L::App), Backoff),
    case("waba_rate_limit_80007.json", 400, Some(80007), C::RateLimited(L::Account), Backoff),
    case("pair_rate_limit_131056.json", 400, Some(131056), C::RateLimited(L::Pair), PairSchedule),
    case("spam_rate_limit_131048.json", 400, Some(131048), C::RateLimited(L::Spam), Never),
    case("api_unknown_1.json", 400, Some(1), C::Transient, Backoff),
    case("api_service_2.json", 503, Some(2), C::Transient, Backoff),
    case("something_went_wrong_131000.json", 500, Some(131000), C::Transient, Backoff),
    case("service_unavailable_131016.json", 500, Some(131016), C::Transient, Backoff),
    case("maintenance_mode_131057.json", 500, Some(131057), C::Transient, Backoff),
    case("server_unavailable_133004.json", 503, Some(133004), C::Transient, Backoff),
    // An unlisted code that Meta marks `is_transient`.
    case("graph_rate_limit_613.json", 400, Some(613), C::Transient, Backoff),
    case("re_engagement_131047.json", 400, Some(131047), C::OutsideWindow, Never),
    case("undeliverable_131026.json", 400, Some(131026), C::Undeliverable, Never),
    case("ecosystem_engagement_131049.json", 400, Some(131049), C::Undeliverable, Never),
    case("marketing_opt_out_131050.json", 400, Some(131050), C::OptedOut, Never),
    case("user_id_not_supported_131062.json", 400, Some(131062), C::UserIdNotSupported, Never),
    case("template_not_found_132001.json", 404, Some(132001), C::Template, Never),
    case("template_param_mismatch_132000.json", 400, Some(132000), C::Template, Never),
    case("invalid_parameter_100.json", 400, Some(100), C::InvalidParameter, Never),
    case("access_token_expired_190.json", 401, Some(190), C::AuthInvalid, Never),
    case("temporarily_blocked_368.json", 403, Some(368), C::Policy, Never),
    case("permission_denied_10.json", 403, Some(10), C::Permission, Never),
    case("media_upload_131053.json", 400, Some(131053), C::Media, Never),
    case("number_not_registered_133010.json", 400, Some(133010), C::PhoneNumber, Never),
    case("generic_user_error_135000.json", 400, Some(135000), C::Other, Never),
    case("flow_integrity_blocked_139000.json", 400, Some(139000), C::Flow(F::IntegrityBlocked), Never),
    case("flow_update_refused_139001.json", 400, Some(139001), C::Flow(F::UpdateRefused), Never),
    case("flow_publish_refused_139002.json", 400, Some(139002), C::Flow(F::PublishRefused), Never),
    case("flow_deprecate_refused_139003.json", 400, Some(139003), C::Flow(F::DeprecateRefused), Never),
    case("flow_delete_refused_139004.json", 400, Some(139004), C::Flow(F::DeleteRefused), Never),
    case("flow_not_enough_data_139006.json", 400, Some(139006), C::Flow(F::NotEnoughMetricData), Never),
    case("marketing_blocked_on_cloud_api_131063.json", 400, Some(131063), C::MarketingBlockedOnCloudApi, Never),
    case("marketing_templates_only_134100.json", 400, Some(134100), C::MarketingTemplatesOnly, Never),
    case("template_syncing_134101.json", 400, Some(134101), C::TemplateSyncing, Never),
    case("marketing_unavailable_134102.json", 500, Some(134102), C::MarketingUnavailable, Never),
    // Operations: blocking users and business usernames.
    case("block_failed_139100.json", 400, Some(139100), C::BlockFailed, Never),
    case("blocklist_full_139101.json", 400, Some(139101), C::BlocklistFull, Never),
    case("blocklist_changed_139102.json", 400, Some(139102), C::BlocklistChanged, Never),
    case("block_internal_139103.json", 500, Some(139103), C::Transient, Backoff),
    case("username_taken_147001.json", 400, Some(147001), C::UsernameTaken, Never),
    case("username_ineligible_147002.json", 400, Some(147002), C::UsernameIneligible, Never),
    case("username_needs_linked_account_147003.json", 400, Some(147003), C::UsernameNeedsLinkedAccount, Never),
    case("username_needs_linked_account_147004.json", 400, Some(147004), C::UsernameNeedsLinkedAccount, Never),
    case("username_held_in_portfolio_147005.json", 400, Some(147005), C::UsernameHeldInPortfolio, Never),
    // Calling API.
    case("calling_concurrent_calls_138002.json", 429, Some(138002), C::RateLimited(L::ConcurrentCalls), Backoff),
    case("calling_call_rate_138005.json", 429, Some(138005), C::RateLimited(L::CallRate), Backoff),
    case("calling_not_enabled_138000.json", 401, Some(138000), C::Calling(K::NotEnabled), Never),
    case("calling_uncallable_138001.json", 400, Some(138001), C::Calling(K::Uncallable), Never),
    case("calling_duplicate_call_138003.json", 400, Some(138003), C::Calling(K::DuplicateCall), Never),
    case("calling_connection_failed_138004.json", 500, Some(138004), C::Calling(K::ConnectionFailed), Backoff),
    case("calling_no_permission_138006.json", 401, Some(138006), C::Calling(K::NoPermission), Never),
    case("calling_connection_timeout_138007.json", 500, Some(138007), C::Calling(K::ConnectionTimeout), Backoff),
    case("calling_permission_request_limit_138009.json", 400, Some(138009), C::Calling(K::PermissionRequestLimit), Never),
    case("calling_daily_call_limit_138012.json", 400, Some(138012), C::Calling(K::DailyCallLimit), Never),
    case("calling_not_available_in_country_138013.json", 400, Some(138013), C::Calling(K::NotAvailableInCountry), Never),
    case("calling_temporarily_disabled_138014.json", 400, Some(138014), C::Calling(K::TemporarilyDisabled), Never),
    case("calling_cannot_enable_138015.json", 400, Some(138015), C::Calling(K::CannotEnable), Never),
    case("calling_permanent_permission_exists_138017.json", 400, Some(138017), C::Calling(K::PermanentPermissionExists), Never),
    case("calling_prerequisites_unmet_138018.json", 400, Some(138018), C::Calling(K::PrerequisitesUnmet), Never),
    case("calling_media_failure_138021.json", 400, Some(138021), C::Calling(K::MediaFailure), Never),
    case("calling_no_payment_method_131044.json", 400, Some(131044), C::Calling(K::NoPaymentMethod), Never),
    case("calling_unlisted_138010.json", 400, Some(138010), C::Calling(K::Other), Never),
    case("payments_terms_pending_134011.json", 400, Some(134011), C::PaymentsTermsPending, Never),
    case("group_single_member_131020.json", 400, Some(131020), C::Group(G::SingleMember), Never),
    case("group_unknown_131041.json", 400, Some(131041), C::Group(G::UnknownGroup), Never),
    case("group_invalid_cursor_131059.json", 400, Some(131059), C::Group(G::InvalidCursor), Never),
    // Partial success comes with a 2xx status: the endpoint reads the body, the client raises nothing.
    case("group_partial_success_131201.json", 206, Some(131201), C::Group(G::PartialSuccess), Never),
    case("group_duplicate_participant_131202.json", 400, Some(131202), C::Group(G::DuplicateParticipant), Never),
    case("group_participant_limit_131204.json", 400, Some(131204), C::Group(G::ParticipantLimit), Never),
    case("group_suspended_131207.json", 403, Some(131207), C::Group(G::Suspended), Never),
    case("group_rate_limit_131208.json", 429, Some(131208), C::RateLimited(L::Group), Backoff),
    case("group_picture_not_square_131209.json", 400, Some(131209), C::Group(G::PictureNotSquare), Never),
    case("group_picture_too_small_131210.json", 400, Some(131210), C::Group(G::PictureTooSmall), Never),
    case("group_limit_131211.json", 400, Some(131211), C::Group(G::GroupLimit), Never),
    case("group_not_a_participant_131212.json", 400, Some(131212), C::Group(G::NotAParticipant), Never),
    case("group_unknown_join_request_131213.json", 400, Some(131213), C::Group(G::UnknownJoinRequest), Never),
    case("group_creation_paused_131214.json", 400, Some(131214), C::Group(G::CreationPaused), Never),
    case("group_not_eligible_131215.json", 400, Some(131215), C::Group(G::NotEligible), Never),
    // Bodies that are not Graph errors (a gateway or proxy answered): classified by HTTP status.
    case("bad_gateway_502.html", 502, None, C::Transient, Backoff),
    case("proxy_too_many_requests_429.txt", 429, None, C::RateLimited(L::Throughput), Backoff),
    case("proxy_unauthorized_401.json", 401, None, C::AuthInvalid, Never),
    case("proxy_forbidden_403.html", 403, None, C::Other, Never),
];

/// The codes `src/client/retry.rs` names in its table of what is retried and what never is.
const RETRY_TABLE_CODES: &[i64] = &[
    130429, 4, 80007, 131056, 1, 2, 131000, 131016, 131057, 133004, 131047, 131026, 131050, 131049,
    131062, 132000, 100, 190, 368, 131048,
];

fn policy() -> RetryPolicy {
    RetryPolicy::default().jitter(false)
}

fn expected_decision(retry: Retry, attempt: u32) -> RetryDecision {
    match retry {
        Backoff => RetryDecision::Retry {
            after: policy().backoff(attempt, 0.0),
        },
        PairSchedule => RetryDecision::Retry {
            after: Duration::from_secs(4u64.pow(attempt - 1)),
        },
        Never => RetryDecision::Stop(StopReason::NotRetryable),
    }
}

#[test]
fn every_graph_error_fixture_is_parsed_and_classified() {
    for c in GRAPH_CASES {
        let file = c.file;
        let bytes = read_fixture("graph_errors", file);
        let api = ApiError::from_response(c.status, None, &bytes);
        assert_eq!(api.status, c.status, "{file}");
        assert_eq!(
            api.raw_body,
            String::from_utf8(bytes.clone()).unwrap(),
            "{file}"
        );
        assert_eq!(api.code(), c.code, "{file}");
        assert_eq!(api.class(), c.class, "{file}");
        let shown = api.to_string();
        assert!(
            shown.contains(&format!("HTTP {}", c.status)),
            "{file}: {shown}"
        );
        match &api.error {
            Some(object) => {
                let body: Value = serde_json::from_slice(&bytes).unwrap();
                let inner = &body["error"];
                // Nothing Meta sent is lost: the typed object writes back exactly what came.
                assert_eq!(&serde_json::to_value(object).unwrap(), inner, "{file}");
                assert_eq!(api.subcode(), inner["error_subcode"].as_i64(), "{file}");
                assert_eq!(
                    api.details(),
                    inner["error_data"]["details"].as_str(),
                    "{file}"
                );
                assert_eq!(object.kind.as_deref(), inner["type"].as_str(), "{file}");
                assert_eq!(
                    object.is_transient,
                    inner["is_transient"].as_bool(),
                    "{file}"
                );
                let trace = object.fbtrace_id.as_deref().expect("fbtrace_id");
                assert!(shown.contains(trace), "{file}: {shown}");
                assert!(shown.contains(&object.code.to_string()), "{file}: {shown}");
                assert_eq!(object.class(), c.class, "{file}");
            }
            None => assert!(c.code.is_none(), "{file}: the Graph error was not read"),
        }

        let error = Error::from(api);
        assert_eq!(error.class(), Some(c.class), "{file}");
        assert_eq!(error.is_retryable(), c.retry != Never, "{file}");
        assert_eq!(c.class.is_retryable(), c.retry != Never, "{file}");
        for attempt in [1, 2] {
            assert_eq!(
                policy().decide(attempt, &error, Idempotency::NotIdempotent, 0.0),
                expected_decision(c.retry, attempt),
                "{file}, attempt {attempt}"
            );
        }
    }
}

#[test]
fn graph_error_fixtures_cover_every_class_and_every_code_the_retry_policy_names() {
    let files: BTreeSet<&str> = GRAPH_CASES.iter().map(|c| c.file).collect();
    assert_eq!(files.len(), GRAPH_CASES.len(), "a fixture is listed twice");
    let on_disk = fixture_names("graph_errors");
    assert_eq!(
        on_disk.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        files,
        "every file under tests/fixtures/graph_errors has a case here, and every case a file"
    );

    let classes: BTreeSet<String> = GRAPH_CASES
        .iter()
        .map(|c| format!("{:?}", c.class))
        .collect();
    let mut declared = BTreeSet::new();
    for class in declared_variants(ERROR_CLASS.file, ERROR_CLASS.name) {
        if class == "RateLimited" {
            for limit in declared_variants(RATE_LIMIT.file, RATE_LIMIT.name) {
                declared.insert(format!("RateLimited({limit})"));
            }
        } else if class == "Flow" {
            for kind in declared_variants(FLOW_ERROR_KIND.file, FLOW_ERROR_KIND.name) {
                declared.insert(format!("Flow({kind})"));
            }
        } else if class == "Calling" {
            for kind in declared_variants(CALLING_ERROR_KIND.file, CALLING_ERROR_KIND.name) {
                declared.insert(format!("Calling({kind})"));
            }
        } else if class == "Group" {
            for kind in declared_variants(GROUP_ERROR_KIND.file, GROUP_ERROR_KIND.name) {
                declared.insert(format!("Group({kind})"));
            }
        } else {
            declared.insert(class);
        }
    }
    assert_eq!(
        classes, declared,
        "error classes with a Graph error fixture"
    );

    let codes: BTreeSet<i64> = GRAPH_CASES.iter().filter_map(|c| c.code).collect();
    for code in RETRY_TABLE_CODES {
        assert!(codes.contains(code), "no fixture for code {code}");
    }
    // Both ways of being transient: by code, and by Meta's `is_transient` on an unlisted code.
    assert_eq!(ErrorClass::of_code(613), ErrorClass::Other);
    // And a body that is not a Graph error for each status the classification looks at.
    let statuses: BTreeSet<u16> = GRAPH_CASES
        .iter()
        .filter(|c| c.code.is_none())
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, BTreeSet::from([401, 403, 429, 502]));
}

#[tokio::test]
async fn graph_error_fixtures_come_back_typed_through_the_client() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .access_token("EAAG-fixture-coverage")
        .phone_number_id("120573946281735")
        .base_url(server.uri())
        .timer(ManualTimer::new())
        .retry_policy(RetryPolicy::none())
        .without_pacing()
        .build()
        .unwrap();
    // A 2xx answer (partial success) is no error to the client: its endpoint reads the body.
    for (i, c) in GRAPH_CASES
        .iter()
        .enumerate()
        .filter(|(_, c)| !(200..300).contains(&c.status))
    {
        let bytes = read_fixture("graph_errors", c.file);
        let content_type = match c.file.rsplit('.').next() {
            Some("json") => "application/json",
            Some("html") => "text/html; charset=utf-8",
            _ => "text/plain",
        };
        let _mock = Mock::given(method("POST"))
            .and(path(format!(
                "/{DEFAULT_API_VERSION}/120573946281735/messages"
            )))
            .respond_with(
                ResponseTemplate::new(c.status)
                    .insert_header("content-type", content_type)
                    .set_body_bytes(bytes.clone()),
            )
            .expect(1)
            .named(c.file)
            .mount_as_scoped(&server)
            .await;
        let send = SendMessage::new(format!("+1650555{:04}", 1000 + i), Message::text("Hi"));
        let error = client.send(&send).await.unwrap_err();
        let api = error
            .api()
            .unwrap_or_else(|| panic!("{}: {error:?}", c.file));
        assert_eq!(api.status, c.status, "{}", c.file);
        assert_eq!(api.code(), c.code, "{}", c.file);
        assert_eq!(api.class(), c.class, "{}", c.file);
        assert_eq!(api.raw_body.as_bytes(), bytes.as_slice(), "{}", c.file);
        assert_eq!(error.is_retryable(), c.retry != Never, "{}", c.file);
        assert!(!error.may_have_been_sent(), "{}", c.file);
    }
}

// ---------------------------------------------------------------------------------------------
// Outgoing shapes that `tests/messages.rs` does not send

const PHONE_ID: &str = "120573946281735";
const TO: &str = "+5511955550123";

/// The request `send` becomes, checked to be a POST to the messages endpoint; its body as JSON.
fn wire(send: &SendMessage) -> Value {
    let ctx = ApiContext::new("EAAG-fixture-coverage", PHONE_ID);
    let request = send
        .to_request(&ctx)
        .unwrap_or_else(|e| panic!("{send:?}: {e}"));
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(
        request.uri().to_string(),
        format!("https://graph.facebook.com/{DEFAULT_API_VERSION}/{PHONE_ID}/messages")
    );
    serde_json::from_slice(request.body()).expect("a JSON body")
}

/// Asserts the exact body of `message` sent to [`TO`]; `payload` is `{"type": …, <type>: …}`.
fn assert_wire(message: impl Into<Message>, payload: Value) {
    let mut expected = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
    });
    for (k, v) in payload.as_object().expect("payload object") {
        expected[k] = v.clone();
    }
    assert_eq!(wire(&SendMessage::new(TO, message)), expected);
}

#[test]
fn buttons_with_a_video_header_and_with_a_text_header() {
    let buttons = || {
        [
            ReplyButton::new("keep-slot", "Keep my slot"),
            ReplyButton::new("move-slot", "Move it"),
        ]
    };
    let expected_buttons = json!([
        {"type": "reply", "reply": {"id": "keep-slot", "title": "Keep my slot"}},
        {"type": "reply", "reply": {"id": "move-slot", "title": "Move it"}}
    ]);
    assert_wire(
        Interactive::buttons("Your fitting is on Thursday at 10:00.", buttons()).header(
            Header::video(MediaSource::link(
                "https://cdn.example.com/fitting-room.mp4",
            )),
        ),
        json!({"type": "interactive", "interactive": {
            "type": "button",
            "header": {"type": "video", "video": {"link": "https://cdn.example.com/fitting-room.mp4"}},
            "body": {"text": "Your fitting is on Thursday at 10:00."},
            "action": {"buttons": expected_buttons}
        }}),
    );
    assert_wire(
        Interactive::buttons("Your fitting is on Thursday at 10:00.", buttons())
            .header("Atelier Souza"),
        json!({"type": "interactive", "interactive": {
            "type": "button",
            "header": {"type": "text", "text": "Atelier Souza"},
            "body": {"text": "Your fitting is on Thursday at 10:00."},
            "action": {"buttons": expected_buttons}
        }}),
    );
}

#[test]
fn catalog_message_without_a_thumbnail() {
    let body = wire(&SendMessage::new(
        TO,
        Interactive::catalog("Everything for your kitchen, in one place."),
    ));
    assert_eq!(
        body["interactive"],
        json!({
            "type": "catalog_message",
            "body": {"text": "Everything for your kitchen, in one place."},
            "action": {"name": "catalog_message"}
        })
    );
    assert_eq!(body["type"], "interactive");
}

#[test]
fn media_carousel_of_video_cards() {
    assert_wire(
        Interactive::media_carousel(
            "Three ways to brew with our kettle",
            [
                MediaCard::video(
                    MediaSource::id("771204958316620"),
                    "Watch recipe",
                    "https://shop.example.com/brew/pour-over",
                )
                .body("Pour-over"),
                MediaCard::video(
                    MediaSource::id("771204958316621"),
                    "Watch recipe",
                    "https://shop.example.com/brew/cold",
                ),
            ],
        ),
        json!({"type": "interactive", "interactive": {
            "type": "carousel",
            "body": {"text": "Three ways to brew with our kettle"},
            "action": {"cards": [
                {"card_index": 0, "type": "cta_url",
                 "header": {"type": "video", "video": {"id": "771204958316620"}},
                 "body": {"text": "Pour-over"},
                 "action": {"name": "cta_url", "parameters": {"display_text": "Watch recipe", "url": "https://shop.example.com/brew/pour-over"}}},
                {"card_index": 1, "type": "cta_url",
                 "header": {"type": "video", "video": {"id": "771204958316621"}},
                 "action": {"name": "cta_url", "parameters": {"display_text": "Watch recipe", "url": "https://shop.example.com/brew/cold"}}}
            ]}
        }}),
    );
}

#[test]
fn published_flow_opening_a_screen_without_data() {
    assert_wire(
        Interactive::flow(
            "Tell us how your delivery went.",
            Flow::by_id("2093847561029384", "Rate delivery")
                .mode(FlowMode::Published)
                .navigate("RATING"),
        )
        .footer("Takes 30 seconds"),
        json!({"type": "interactive", "interactive": {
            "type": "flow",
            "body": {"text": "Tell us how your delivery went."},
            "footer": {"text": "Takes 30 seconds"},
            "action": {"name": "flow", "parameters": {
                "flow_message_version": "3",
                "flow_id": "2093847561029384",
                "flow_cta": "Rate delivery",
                "mode": "published",
                "flow_action": "navigate",
                "flow_action_payload": {"screen": "RATING"}
            }}
        }}),
    );
}

#[test]
fn plain_audio_and_a_sticker_by_link() {
    assert_wire(
        Audio::from_id("918273645501928"),
        json!({"type": "audio", "audio": {"id": "918273645501928"}}),
    );
    assert_wire(
        Sticker::from_link("https://cdn.example.com/stickers/thanks.webp"),
        json!({"type": "sticker", "sticker": {"link": "https://cdn.example.com/stickers/thanks.webp"}}),
    );
}

#[test]
fn template_with_text_and_linked_image_headers_and_a_plain_document() {
    assert_wire(
        Template::new("shipment_update", "pt_BR")
            .header([Parameter::text("Pedido 4471")])
            .body([Parameter::text("Ana"), Parameter::text("amanhã")]),
        json!({"type": "template", "template": {
            "name": "shipment_update", "language": {"code": "pt_BR"},
            "components": [
                {"type": "header", "parameters": [{"type": "text", "text": "Pedido 4471"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "amanhã"}]}
            ]
        }}),
    );
    assert_wire(
        Template::new("weekly_offer", "en_GB").header([Parameter::image(MediaSource::link(
            "https://cdn.example.com/offers/week-45.jpg",
        ))]),
        json!({"type": "template", "template": {
            "name": "weekly_offer", "language": {"code": "en_GB"},
            "components": [{"type": "header", "parameters": [
                {"type": "image", "image": {"link": "https://cdn.example.com/offers/week-45.jpg"}}]}]
        }}),
    );
    assert_wire(
        Template::new("invoice_ready", "en_US")
            .header([Parameter::document(MediaSource::id("660193847562019"))]),
        json!({"type": "template", "template": {
            "name": "invoice_ready", "language": {"code": "en_US"},
            "components": [{"type": "header", "parameters": [
                {"type": "document", "document": {"id": "660193847562019"}}]}]
        }}),
    );
}

#[test]
fn template_with_multi_product_voice_call_and_unknown_buttons() {
    let t = Template::new("kitchen_picks", "en_US")
        .body([Parameter::text("Priya")])
        .button(TemplateButton::new(
            ButtonSubType::Mpm,
            0,
            [Parameter::action(
                ButtonAction::new()
                    .thumbnail_product_retailer_id("kettle-steel-1l")
                    .section(ProductSection::new(
                        "Kettles",
                        ["kettle-steel-1l", "kettle-glass-1l"],
                    ))
                    .section(ProductSection::new("Mugs", ["mug-stoneware"])),
            )],
        ))
        .button(TemplateButton::new(ButtonSubType::VoiceCall, 1, []))
        .button(TemplateButton::new("Future_Button", 2, []));
    assert_wire(
        t,
        json!({"type": "template", "template": {
            "name": "kitchen_picks", "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "Priya"}]},
                {"type": "button", "sub_type": "mpm", "index": "0", "parameters": [
                    {"type": "action", "action": {
                        "thumbnail_product_retailer_id": "kettle-steel-1l",
                        "sections": [
                            {"title": "Kettles", "product_items": [
                                {"product_retailer_id": "kettle-steel-1l"},
                                {"product_retailer_id": "kettle-glass-1l"}]},
                            {"title": "Mugs", "product_items": [{"product_retailer_id": "mug-stoneware"}]}
                        ]}}]},
                {"type": "button", "sub_type": "voice_call", "index": "1"},
                {"type": "button", "sub_type": "future_button", "index": "2"}
            ]
        }}),
    );
}
