//! Payment status webhooks (`statuses[]` with `type: "payment"`) and `payment_configuration_update`.

use crate::common;
use serde_json::Value;
use whatsapp_cloud::webhook::*;

fn parse(name: &str) -> (Payload<'static>, Value) {
    let bytes = common::fixture(&format!("webhooks/{name}"));
    let payload = Payload::from_slice(&bytes)
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (payload, serde_json::from_slice(&bytes).unwrap())
}

fn statuses<'a>(p: &'a Payload<'_>) -> Vec<&'a Status> {
    p.events()
        .map(|e| match e {
            Event::Status(s) => s.update(),
            other => panic!("not a status: {other:?}"),
        })
        .collect()
}

#[test]
fn a_captured_payment_status_carries_the_order_transaction_method_and_refunds() {
    let (p, raw) = parse("status_payment_captured.json");
    let all = statuses(&p);
    assert_eq!(all.len(), 1);
    let s = all[0];
    assert!(s.is_payment());
    assert!(!s.is_failed());
    assert_eq!(s.payment_status(), Some(PaymentStatus::Captured));
    assert_eq!(s.recipient_id(), Some("919000000002"));
    assert_eq!(s.timestamp(), 1_764_547_300);
    let payment = s.payment().expect("payment");
    assert_eq!(payment.reference_id, "order-42");
    assert_eq!(payment.currency.as_deref(), Some("INR"));
    assert_eq!(payment.receipt.as_deref(), Some("receipt-42"));
    let amount = payment.amount.expect("amount");
    assert_eq!((amount.value, amount.offset), (21_000, 100));
    let t = payment.transaction.as_ref().expect("transaction");
    assert_eq!(t.id, "pay_NkGq3qXc1d7u2e");
    assert_eq!(t.kind.as_deref(), Some("razorpay"));
    assert_eq!(t.status, TransactionStatus::Success);
    assert_eq!(t.created_timestamp, Some(1_764_547_200));
    assert_eq!(t.updated_timestamp, Some(1_764_547_290));
    assert_eq!(
        t.method.as_ref().map(|m| &m.kind),
        Some(&PaymentMethodType::Upi)
    );
    assert_eq!(t.error, None);
    assert_eq!(t.refunds.len(), 1);
    let refund = &t.refunds[0];
    assert_eq!(refund.id.as_deref(), Some("rfnd_NkH0aXb2c3d4e5"));
    assert_eq!(refund.amount.map(|a| a.value), Some(5_000));
    assert_eq!(refund.status.as_deref(), Some("completed"));
    // Nothing is lost: the payload writes back what came.
    assert_eq!(serde_json::to_value(&p).unwrap(), raw);
}

#[test]
fn pending_and_failed_payments_are_not_message_failures() {
    let (p, raw) = parse("status_payment_pending_failed.json");
    let all = statuses(&p);
    assert_eq!(
        all.iter().map(|s| s.payment_status()).collect::<Vec<_>>(),
        [Some(PaymentStatus::Pending), Some(PaymentStatus::Failed)]
    );
    let failed = all[1];
    // The outer status is `failed`, but no message failed: the policy's failure rules ignore it.
    assert_eq!(failed.status, StatusKind::Failed);
    assert!(!failed.is_failed());
    let t = failed
        .payment()
        .and_then(|p| p.transaction.as_ref())
        .unwrap();
    assert_eq!(t.status, TransactionStatus::Failed);
    assert_eq!(
        t.method.as_ref().unwrap().kind,
        PaymentMethodType::Netbanking
    );
    let error = t.error.as_ref().expect("error");
    assert_eq!(error.code.as_deref(), Some("BAD_REQUEST_ERROR"));
    assert_eq!(
        error.reason.as_deref(),
        Some("Payment was declined by the bank")
    );
    let pending = all[0]
        .payment()
        .and_then(|p| p.transaction.as_ref())
        .unwrap();
    assert_eq!(
        pending.method.as_ref().unwrap().kind,
        PaymentMethodType::Card
    );
    assert_eq!(pending.amount, None);
    assert_eq!(serde_json::to_value(&p).unwrap(), raw);
}

#[test]
fn a_message_status_without_type_stays_a_message_status() {
    let (p, _) = parse("status_failed.json");
    for s in statuses(&p) {
        assert!(!s.is_payment());
        assert_eq!(s.payment_status(), None);
        assert!(s.payment().is_none());
        assert!(s.is_failed());
    }
    // A `payment` object on a status that does not say `type: "payment"` is not read as a payment.
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},
        "statuses":[{"id":"wamid.A","recipient_id":"3","status":"sent","timestamp":"5","type":"message",
          "payment":{"reference_id":"x"}}]}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let s = statuses(&p)[0].clone();
    assert_eq!(s.status, StatusKind::Sent);
    assert_eq!(s.kind.as_deref(), Some("message"));
    assert!(s.payment().is_none());
}

#[test]
fn payment_method_and_codes_are_read_in_either_documented_form() {
    let t: Transaction = serde_json::from_str(
        r#"{"id": 99, "status": "success", "method": "wallet", "error": {"code": 502}, "refunds": null,
            "created_timestamp": "1764547200", "amount": {"value": "450", "offset": "100"}}"#,
    )
    .unwrap();
    assert_eq!(t.id, "99");
    assert_eq!(t.method.unwrap().kind, PaymentMethodType::Wallet);
    assert_eq!(t.error.unwrap().code.as_deref(), Some("502"));
    assert!(t.refunds.is_empty());
    assert_eq!(t.created_timestamp, Some(1_764_547_200));
    assert_eq!(t.amount.map(|a| (a.value, a.offset)), Some((450, 100)));
    let unknown: Transaction =
        serde_json::from_str(r#"{"id": "t", "status": "reversed", "method": {"type": "emi"}}"#)
            .unwrap();
    assert_eq!(
        unknown.status,
        TransactionStatus::Unknown("reversed".into())
    );
    assert_eq!(
        unknown.method.unwrap().kind,
        PaymentMethodType::Unknown("emi".into())
    );
}

#[test]
fn payment_configuration_updates_are_typed() {
    let (p, raw) = parse("payment_configuration_update.json");
    let updates: Vec<_> = p
        .events()
        .map(|e| match e {
            Event::PaymentConfiguration(u) => {
                assert_eq!(u.context().field(), "payment_configuration_update");
                assert_eq!(u.context().waba_id(), "102290129340398");
                (u.context().entry_time(), u.update().clone())
            }
            other => panic!("not a payment configuration update: {other:?}"),
        })
        .collect();
    assert_eq!(updates.len(), 2);
    let (time, first) = &updates[0];
    assert_eq!(*time, Some(1_739_321_024));
    assert_eq!(first.configuration_name, "razorpay-prod");
    assert_eq!(first.provider_name.as_deref(), Some("razorpay"));
    assert_eq!(first.provider_mid.as_deref(), Some("acc_GP4lfNA0iIMn5B"));
    // The webhook reference writes the status with a space, the API with an underscore.
    assert_eq!(
        first.status,
        Some(PaymentConfigurationStatus::NeedsConnecting)
    );
    assert_eq!(first.created_timestamp, Some(1_748_827_100));
    assert_eq!(first.updated_timestamp, Some(1_749_320_300));
    assert_eq!(
        updates[1].1.status,
        Some(PaymentConfigurationStatus::Active)
    );
    assert_eq!(serde_json::to_value(&p).unwrap(), raw);
}

#[test]
fn a_payment_configuration_update_without_its_name_is_invalid_and_kept_raw() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":2,"changes":[
        {"field":"payment_configuration_update","value":{"status":"Active"}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 1);
    match &events[0] {
        Event::Invalid(i) => {
            assert_eq!(i.kind(), InvalidKind::FieldValue);
            assert!(i.error().contains("configuration_name"), "{}", i.error());
        }
        other => panic!("expected an invalid event, got {other:?}"),
    }
}

#[test]
fn a_payment_status_is_recognised_whatever_the_case_of_its_type() {
    let bytes = common::fixture("webhooks/status_payment_captured.json");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(r#""type":"payment""#) || text.contains(r#""type": "payment""#));
    let upper = text
        .replace(r#""type":"payment""#, r#""type":"PAYMENT""#)
        .replace(r#""type": "payment""#, r#""type": "PAYMENT""#);
    let payload = Payload::from_slice(upper.as_bytes()).unwrap();
    let all = statuses(&payload);
    assert_eq!(all.len(), 1);
    assert!(all[0].is_payment());
    assert!(!all[0].is_failed());
}
