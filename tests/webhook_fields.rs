//! The account, template, phone number, Flows and ad webhook fields on our own fixtures
//! (`tests/fixtures/webhooks/`): each value typed, unknown enum values kept, one event per change
//! (one per item of `automatic_events[]`), and Meta's JSON back on serialization.

mod common;

use serde_json::Value;
use whatsapp_cloud::webhook::{
    AccountEvent, AlertEntityType, AutomaticEventName, BanState, Decision, Event, FieldEvent,
    FlowAlertState, FlowEvent, FlowStatus, InvalidKind, MessagingLimit, Payload, RestrictionType,
    SecurityEvent, SolutionEvent, SolutionStatus, TemplateEvent, TemplateReason, UsernameStatus,
};

fn parse(name: &str) -> Payload<'static> {
    let body = common::fixture(&format!("webhooks/{name}"));
    let p = Payload::from_slice(&body)
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let again: Value = serde_json::to_value(&p).unwrap();
    assert_eq!(again, serde_json::from_slice::<Value>(&body).unwrap());
    p
}

/// Every event of `p`, each required to be of the variant `pick` accepts.
fn all<'a, T>(
    p: &'a Payload<'_>,
    pick: impl Fn(Event<'a>) -> Option<FieldEvent<'a, T>>,
) -> Vec<&'a T> {
    p.events()
        .map(|e| {
            let shown = format!("{e:?}");
            pick(e).unwrap_or_else(|| panic!("unexpected event {shown}"))
        })
        .map(|f| f.update())
        .collect()
}

#[test]
fn account_update_events_are_typed_with_their_details() {
    let p = parse("account_update_events.json");
    let updates = all(&p, |e| match e {
        Event::AccountUpdate(a) => Some(a),
        _ => None,
    });
    assert_eq!(updates.len(), 21);
    assert_eq!(updates[0].event, Some(AccountEvent::VerifiedAccount));
    assert_eq!(updates[0].phone_number.as_deref(), Some("15557340912"));

    let bans: Vec<_> = updates[1..5]
        .iter()
        .map(|u| u.ban_info.as_ref().unwrap())
        .collect();
    assert_eq!(bans[0].waba_ban_state, Some(BanState::ScheduleForDisable));
    assert_eq!(bans[0].waba_ban_date.as_deref(), Some("March 2, 2026"));
    assert_eq!(bans[1].waba_ban_state, Some(BanState::Disable));
    assert_eq!(bans[2].waba_ban_state, Some(BanState::Reinstate));
    assert_eq!(
        bans[3].waba_ban_state,
        Some(BanState::Unknown("SUSPEND_FOR_REVIEW".into()))
    );

    assert_eq!(
        updates[5]
            .violation_info
            .as_ref()
            .and_then(|v| v.violation_type.as_deref()),
        Some("SCAM")
    );

    let restriction = updates[6];
    assert_eq!(restriction.event, Some(AccountEvent::AccountRestriction));
    let kinds: Vec<_> = restriction
        .restriction_info
        .iter()
        .map(|r| r.restriction_type.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            RestrictionType::RestrictedAddPhoneNumberAction,
            RestrictionType::RestrictedBizInitiatedMessaging,
            RestrictionType::RestrictedCustomerInitiatedMessaging,
            RestrictionType::Unknown("RESTRICTED_SOMETHING_NEW".into()),
        ]
    );
    assert_eq!(
        restriction.restriction_info[1].expiration,
        Some(1_765_152_000),
        "an expiration sent as a string reads as a number"
    );

    let added = updates[10].waba_info.as_ref().unwrap();
    assert_eq!(updates[10].event, Some(AccountEvent::PartnerAdded));
    assert_eq!(added.solution_id.as_deref(), Some("611093847265019"));
    assert_eq!(
        added.solution_partner_business_ids,
        ["402918365540172", "778120394456231"]
    );
    let removed = updates[11];
    assert_eq!(removed.event, Some(AccountEvent::PartnerRemoved));
    let why = removed.disconnection_info.as_ref().unwrap();
    assert_eq!(why.reason.as_deref(), Some("PRIMARY_INACTIVITY"));
    assert_eq!(why.initiated_by.as_deref(), Some("SYSTEM"));
    assert_eq!(
        updates[12]
            .waba_info
            .as_ref()
            .and_then(|w| w.partner_app_id.as_deref()),
        Some("530671928840115")
    );

    let cert = updates[14]
        .partner_client_certification_info
        .as_ref()
        .unwrap();
    assert_eq!(cert.status.as_deref(), Some("REJECTED"));
    assert_eq!(cert.rejection_reasons, ["BUSINESS_NAME_MISMATCH"]);
    assert_eq!(
        updates[15]
            .waba_info
            .as_ref()
            .and_then(|w| w.ad_account_linked.as_deref()),
        Some("120394857761023")
    );
    assert_eq!(updates[16].event, Some(AccountEvent::MmLiteTermsSigned));

    let intl = updates[17]
        .auth_international_rate_eligibility
        .as_ref()
        .unwrap();
    assert_eq!(intl.start_time, Some(1_767_225_600));
    assert_eq!(
        intl.exception_countries[0].country_code.as_deref(),
        Some("BR")
    );
    assert_eq!(intl.exception_countries[0].start_time, Some(1_769_904_000));
    assert_eq!(updates[18].country.as_deref(), Some("PT"));
    let tier = updates[19].volume_tier_info.as_ref().unwrap();
    assert_eq!(tier.tier.as_deref(), Some("1000001:5000000"));
    assert_eq!(tier.tier_update_time, Some(1_764_547_300));
    assert_eq!(tier.effective_month.as_deref(), Some("2025-12"));

    // An event this version does not know: its name kept, its object available raw.
    let Some(Event::AccountUpdate(last)) = p.events().last() else {
        panic!("no last account update")
    };
    assert_eq!(
        last.update().event,
        Some(AccountEvent::Unknown("ACCOUNT_SOMETHING_NEW".into()))
    );
    let raw: Value = serde_json::from_str(last.raw().unwrap().get()).unwrap();
    assert_eq!(raw["something_new_info"]["detail"], "kept raw");
}

#[test]
fn account_alerts_reviews_and_capabilities_are_typed() {
    let p = parse("account_alerts.json");
    let alerts = all(&p, |e| match e {
        Event::AccountAlert(a) => Some(a),
        _ => None,
    });
    let kinds: Vec<_> = alerts.iter().map(|a| a.entity_type.clone()).collect();
    assert_eq!(
        kinds,
        [
            AlertEntityType::Business,
            AlertEntityType::PhoneNumber,
            AlertEntityType::CurrentStatusId,
            AlertEntityType::Unknown("AD_ACCOUNT".into()),
        ]
    );
    assert_eq!(
        alerts[1].entity_id, "306172845501936",
        "a numeric id reads as a string"
    );
    let info = alerts[1].alert_info.as_ref().unwrap();
    assert_eq!(info.alert_severity.as_deref(), Some("CRITICAL"));
    assert_eq!(info.alert_type.as_deref(), Some("NAME_REJECTED"));

    let p = parse("account_review_update.json");
    let decisions: Vec<_> = all(&p, |e| match e {
        Event::AccountReview(r) => Some(r),
        _ => None,
    })
    .into_iter()
    .map(|r| r.decision.clone())
    .collect();
    assert_eq!(
        decisions,
        [
            Decision::Approved,
            Decision::Rejected,
            Decision::Pending,
            Decision::Deferred,
            Decision::Unknown("ESCALATED".into()),
        ]
    );

    let p = parse("business_capability_update.json");
    let caps = all(&p, |e| match e {
        Event::BusinessCapability(c) => Some(c),
        _ => None,
    });
    assert_eq!(
        caps[0].max_daily_conversations_per_business,
        Some(MessagingLimit::Count(2000))
    );
    assert_eq!(caps[0].max_phone_numbers_per_business, Some(20));
    let tier = caps[1]
        .max_daily_conversations_per_business
        .as_ref()
        .unwrap();
    assert_eq!(tier, &MessagingLimit::Tier("TIER_10K".into()));
    assert_eq!(tier.count(), Some(10_000));
    assert_eq!(caps[1].max_phone_numbers_per_waba, Some(25));
    assert_eq!(
        caps[2].max_daily_conversation_per_phone,
        Some(MessagingLimit::Count(1000))
    );
}

#[test]
fn partner_solutions_come_from_a_business_portfolio() {
    let p = parse("partner_solutions.json");
    let events: Vec<_> = p
        .events()
        .map(|e| match e {
            Event::PartnerSolution(s) => s,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(events.len(), 7);
    assert_eq!(events[0].context().entry_id(), "930417265518804");
    let first = events[0].update();
    assert_eq!(first.event, SolutionEvent::SolutionCreated);
    assert_eq!(first.solution_id, "611093847265019");
    assert_eq!(first.solution_status, Some(SolutionStatus::Draft));
    let statuses: Vec<_> = events[1..]
        .iter()
        .map(|s| s.update().solution_status.clone().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            SolutionStatus::Initiated,
            SolutionStatus::Active,
            SolutionStatus::PendingDeactivation,
            SolutionStatus::Deactivated,
            SolutionStatus::Rejected,
            SolutionStatus::Unknown("ARCHIVED".into()),
        ]
    );
    assert_eq!(
        events[6].update().event,
        SolutionEvent::Unknown("SOLUTION_ARCHIVED".into())
    );
}

#[test]
fn template_components_and_status_reasons_are_typed() {
    let p = parse("template_components_update.json");
    let updates = all(&p, |e| match e {
        Event::TemplateComponents(t) => Some(t),
        _ => None,
    });
    let full = updates[0];
    assert_eq!(full.message_template_id, 736_104_928_815_532);
    assert_eq!(
        full.message_template_element.as_deref(),
        Some("Olá {{1}}, a sua mesa para {{2}} está pronta.")
    );
    assert_eq!(full.message_template_title.as_deref(), Some("Mesa pronta"));
    assert_eq!(full.message_template_footer.as_deref(), Some("Casa do Rio"));
    let buttons = &full.message_template_buttons;
    assert_eq!(buttons.len(), 3);
    assert_eq!(
        buttons[1].message_template_button_type.as_deref(),
        Some("URL")
    );
    assert_eq!(
        buttons[1].message_template_button_url.as_deref(),
        Some("https://example.com/menu")
    );
    assert_eq!(
        buttons[2].message_template_button_phone_number.as_deref(),
        Some("+351210000000")
    );
    assert_eq!(
        updates[1].message_template_id, 736_104_928_815_533,
        "an id sent as a string"
    );
    assert!(updates[1].message_template_buttons.is_empty());

    let p = parse("template_status_reasons.json");
    let updates = all(&p, |e| match e {
        Event::TemplateStatus(t) => Some(t),
        _ => None,
    });
    let reasons: Vec<_> = updates.iter().map(|u| u.reason.clone()).collect();
    assert_eq!(
        reasons,
        [
            Some(TemplateReason::NoReason),
            Some(TemplateReason::AbusiveContent),
            Some(TemplateReason::CategoryNotAvailable),
            Some(TemplateReason::IncorrectCategory),
            Some(TemplateReason::InvalidFormat),
            Some(TemplateReason::Promotional),
            Some(TemplateReason::Scam),
            Some(TemplateReason::TagContentMismatch),
            Some(TemplateReason::Unknown("LANGUAGE_MISMATCH".into())),
            None,
        ]
    );
    let rejected = updates[4].rejection_info.as_ref().unwrap();
    assert!(
        rejected
            .reason
            .as_deref()
            .unwrap()
            .contains("next to each other")
    );
    assert!(rejected.recommendation.is_some());
    let paused = updates[9];
    assert_eq!(paused.event, TemplateEvent::Paused);
    assert_eq!(
        paused.other_info.as_ref().and_then(|o| o.title.as_deref()),
        Some("FIRST_PAUSE")
    );
}

#[test]
fn phone_number_name_security_and_username_updates_are_typed() {
    let p = parse("phone_number_name_update.json");
    let names = all(&p, |e| match e {
        Event::PhoneNumberName(n) => Some(n),
        _ => None,
    });
    assert_eq!(names[0].decision, Decision::Approved);
    assert_eq!(
        names[0].requested_verified_name.as_deref(),
        Some("Casa do Rio")
    );
    assert_eq!(names[0].rejection_reason, None, "`null` reads as none");
    assert_eq!(names[1].decision, Decision::Rejected);
    assert_eq!(
        names[1].rejection_reason.as_deref(),
        Some("The name does not match the business.")
    );

    let p = parse("security.json");
    let security = all(&p, |e| match e {
        Event::Security(s) => Some(s),
        _ => None,
    });
    let events: Vec<_> = security.iter().map(|s| s.event.clone()).collect();
    assert_eq!(
        events,
        [
            SecurityEvent::PinChanged,
            SecurityEvent::PinResetRequest,
            SecurityEvent::PinRequestSuccess,
            SecurityEvent::Unknown("PIN_LOCKED".into()),
        ]
    );
    assert_eq!(security[0].requester.as_deref(), Some("1048872231950617"));
    assert_eq!(security[2].requester, None);
    assert_eq!(
        security[0].display_phone_number.as_deref(),
        Some("15557340912")
    );

    let p = parse("business_username_update.json");
    let usernames = all(&p, |e| match e {
        Event::BusinessUsername(u) => Some(u),
        _ => None,
    });
    let statuses: Vec<_> = usernames.iter().map(|u| u.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            UsernameStatus::Reserved,
            UsernameStatus::Approved,
            UsernameStatus::Deleted,
            UsernameStatus::Unknown("suspended".into()),
            UsernameStatus::Approved,
        ]
    );
    assert_eq!(usernames[1].username.as_deref(), Some("casadorio"));
    assert_eq!(usernames[2].username, None, "no username once deleted");
    let old_name = p.events().last().unwrap();
    assert_eq!(
        old_name.context().field(),
        "phone_number_username_update",
        "the field's former name reads into the same type"
    );
}

#[test]
fn flow_updates_are_typed_with_fractional_rates() {
    let p = parse("flows.json");
    let flows = all(&p, |e| match e {
        Event::Flow(f) => Some(f),
        _ => None,
    });
    assert_eq!(flows.len(), 11);
    let change = flows[0];
    assert_eq!(change.event, FlowEvent::FlowStatusChange);
    assert_eq!(change.flow_id, "880312746651093");
    assert_eq!(change.old_status, Some(FlowStatus::Draft));
    assert_eq!(change.new_status, Some(FlowStatus::Published));
    let next: Vec<_> = flows[1..5]
        .iter()
        .map(|f| f.new_status.clone().unwrap())
        .collect();
    assert_eq!(
        next,
        [
            FlowStatus::Throttled,
            FlowStatus::Blocked,
            FlowStatus::Deprecated,
            FlowStatus::Unknown("ARCHIVED".into()),
        ]
    );

    let client = flows[5];
    assert_eq!(client.event, FlowEvent::ClientErrorRate);
    assert_eq!(client.error_rate, Some(14.28));
    assert_eq!(client.threshold, Some(10.0));
    assert_eq!(client.alert_state, Some(FlowAlertState::Activated));
    assert_eq!(client.errors.len(), 2);
    assert_eq!(
        client.errors[0].error_type.as_deref(),
        Some("INVALID_SCREEN_TRANSITION")
    );
    assert_eq!(client.errors[0].error_rate, Some(9.52));
    assert_eq!(client.errors[0].error_count, Some(4));

    let endpoint = flows[6];
    assert_eq!(endpoint.event, FlowEvent::EndpointErrorRate);
    assert_eq!(endpoint.alert_state, Some(FlowAlertState::Deactivated));
    let latency = flows[7];
    assert_eq!(latency.event, FlowEvent::EndpointLatency);
    assert_eq!(latency.p50_latency, Some(2100.0));
    assert_eq!(latency.p90_latency, Some(5620.0));
    assert_eq!(latency.requests_count, Some(412));
    let availability = flows[8];
    assert_eq!(availability.event, FlowEvent::EndpointAvailability);
    assert_eq!(availability.availability, Some(87.5));
    assert_eq!(
        availability.alert_state,
        Some(FlowAlertState::Unknown("FIRING".into()))
    );
    let expiry = flows[9];
    assert_eq!(expiry.event, FlowEvent::FlowVersionExpiryWarning);
    assert!(expiry.warning.as_deref().unwrap().contains("3.1"));
    assert_eq!(
        flows[10].event,
        FlowEvent::Unknown("FLOW_SOMETHING_NEW".into())
    );
}

#[test]
fn automatic_events_give_one_event_per_item_with_the_business_number() {
    let p = parse("automatic_events.json");
    let events: Vec<_> = p
        .events()
        .map(|e| match e {
            Event::AutomaticEvent(a) => a,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].phone_number_id(), Some("306172845501936"));
    assert_eq!(events[0].display_phone_number(), Some("15557340912"));
    let lead = events[0].update();
    assert_eq!(lead.event_name, AutomaticEventName::LeadSubmitted);
    assert_eq!(
        lead.id.as_str(),
        "wamid.HBgLMzUxOTEyMzQ1Njc4FQIAEhggQUVDNUI2RkQ"
    );
    assert_eq!(lead.timestamp, 1_764_547_300);
    assert!(lead.ctwa_clid.is_some());
    assert_eq!(lead.custom_data, None);
    let purchase = events[1].update();
    assert_eq!(purchase.event_name, AutomaticEventName::Purchase);
    let paid = purchase.custom_data.as_ref().unwrap();
    assert_eq!(paid.currency.as_deref(), Some("EUR"));
    assert_eq!(paid.value, Some(42.5));
    assert_eq!(
        events[2].update().event_name,
        AutomaticEventName::Unknown("AddToCart".into())
    );
    assert_eq!(events[2].context().entry_time(), Some(1_764_547_260));
}

#[test]
fn a_malformed_automatic_event_costs_none_of_its_neighbours() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":5,"changes":[{"field":"automatic_events","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"automatic_events":[{"id":"wamid.A","event_name":"Purchase","timestamp":1764547300,"custom_data":{"currency":"EUR","value":"12.5"}},{"id":"wamid.B","event_name":"Purchase","timestamp":"soon"},{"id":"wamid.C","event_name":"LeadSubmitted","timestamp":1764547400}]}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 3, "{events:#?}");
    let Event::AutomaticEvent(first) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(
        first.update().custom_data.as_ref().and_then(|d| d.value),
        Some(12.5),
        "an amount sent as a string"
    );
    let Event::Invalid(bad) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(bad.kind(), InvalidKind::FieldValue);
    assert!(bad.error().contains("soon"), "{}", bad.error());
    assert_eq!(bad.raw().unwrap()["id"], "wamid.B");
    assert_eq!(bad.phone_number_id(), Some("2"));
    assert!(matches!(&events[2], Event::AutomaticEvent(a) if a.update().id.as_str() == "wamid.C"));
    let again: Value = serde_json::to_value(&p).unwrap();
    assert_eq!(again, serde_json::from_slice::<Value>(body).unwrap());
}

#[test]
fn automatic_events_of_another_shape_are_kept_unknown_or_invalid() {
    let unknown = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"automatic_events","value":{"event":"later","details":{"k":"v"}}}]}]}"#;
    let p = Payload::from_slice(unknown).unwrap();
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 1);
    let Event::Unknown(u) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(u.value()["details"]["k"], "v");

    let invalid = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"automatic_events","value":[1,2]}]}]}"#;
    let p = Payload::from_slice(invalid).unwrap();
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 1);
    assert!(
        matches!(&events[0], Event::Invalid(i) if i.kind() == InvalidKind::FieldValue),
        "{:?}",
        events[0]
    );
}

#[test]
fn a_new_field_without_its_required_keys_is_an_invalid_event_with_its_raw_value() {
    for (field, value, missing) in [
        ("security", r#"{"display_phone_number":"1"}"#, "event"),
        ("flows", r#"{"event":"FLOW_STATUS_CHANGE"}"#, "flow_id"),
        (
            "partner_solutions",
            r#"{"event":"SOLUTION_CREATED"}"#,
            "solution_id",
        ),
        ("account_review_update", r#"{}"#, "decision"),
        ("business_username_update", r#"{"username":"x"}"#, "status"),
        ("account_alerts", r#"{"entity_id":"1"}"#, "entity_type"),
        (
            "message_template_components_update",
            r#"{"message_template_name":"x"}"#,
            "message_template_id",
        ),
        (
            "phone_number_name_update",
            r#"{"requested_verified_name":"x"}"#,
            "decision",
        ),
        (
            "business_capability_update",
            r#"{"max_daily_conversations_per_business":-3}"#,
            "-3",
        ),
    ] {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","time":5,"changes":[{{"field":"{field}","value":{value}}}]}}]}}"#
        );
        let p = Payload::from_slice(body.as_bytes()).unwrap();
        let events: Vec<_> = p.events().collect();
        assert_eq!(events.len(), 1, "{field}");
        let Event::Invalid(i) = &events[0] else {
            panic!("{field}: {:?}", events[0])
        };
        assert_eq!(i.kind(), InvalidKind::FieldValue, "{field}");
        assert!(i.error().contains(missing), "{field}: {}", i.error());
        assert_eq!(
            i.context().raw_value().map(|r| r.get()),
            Some(value),
            "{field}"
        );
    }
}
