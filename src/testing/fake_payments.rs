//! The fake's Payments API: payment configurations kept in memory, and payments you script for the
//! payment lookup.
//!
//! Creating a gateway configuration (Razorpay, PayU, Zaakpay) gives `Needs_Connecting` and an OAuth
//! link; a UPI handle configuration (`upi_vpa`) is `Active` at once; a name used twice, or a
//! missing name, provider or code, is Meta's invalid-parameter error (100). A configuration becomes
//! `Active` with [`FakeCloudApi::connect_payment_configuration`]. The payment lookup answers what
//! [`FakeCloudApi::set_payment`] scripted, and Meta's unknown-object error otherwise.

use super::FakeCloudApi;
use super::fake::missing_object;
use crate::webhook::PaymentStatus;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::matchers::{header, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

/// When the fake's OAuth links expire (unix seconds; a fixed time keeps answers reproducible).
const FAKE_OAUTH_EXPIRATION: u64 = 1_900_000_000;

/// The fake's payment configurations (by name, as Meta's JSON) and scripted payments (by
/// configuration and reference).
#[derive(Debug, Default)]
pub(super) struct PaymentsState {
    configurations: BTreeMap<String, Value>,
    payments: BTreeMap<(String, String), Value>,
}

/// Shared between the fake and its responder.
pub(super) type PaymentsStore = Arc<Mutex<PaymentsState>>;

fn invalid_parameter(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": format!("(#100) {message}"), "type": "OAuthException", "code": 100,
        "fbtrace_id": "AFakePaym3ntTr4ce"
    }}))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Answers `/<WABA_ID>/payment_configuration[s][/<name>]`,
/// `/<WABA_ID>/generate_payment_configuration_oauth_link` and
/// `/<PHONE_NUMBER_ID>/payments/<configuration>/<reference>`.
struct PaymentsResponder {
    store: PaymentsStore,
    version: &'static str,
    waba: String,
    phone: String,
}

impl Respond for PaymentsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        // Names and references are compared as sent (percent-encoded when they need it).
        let segments: Vec<&str> = request
            .url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let mut state = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let body = serde_json::from_slice::<Value>(&request.body).unwrap_or(Value::Null);
        let method = request.method.as_str();
        let (version, waba, phone) = (self.version, self.waba.as_str(), self.phone.as_str());
        match (method, segments.as_slice()) {
            ("GET", [v, w, "payment_configurations"]) if *v == version && *w == waba => {
                let list: Vec<&Value> = state.configurations.values().collect();
                ok(json!({"data": [{"payment_configurations": list}]}))
            }
            ("GET", [v, w, "payment_configuration", name]) if *v == version && *w == waba => {
                match state.configurations.get(*name) {
                    Some(c) => ok(json!({"data": [c]})),
                    None => missing_object(name),
                }
            }
            ("POST", [v, w, "payment_configuration"]) if *v == version && *w == waba => {
                create(&mut state, &body)
            }
            ("DELETE", [v, w, "payment_configuration"]) if *v == version && *w == waba => {
                let name = body["configuration_name"].as_str().unwrap_or_default();
                match state.configurations.remove(name) {
                    Some(_) => ok(json!({"success": true})),
                    None => missing_object(name),
                }
            }
            ("POST", [v, w, "generate_payment_configuration_oauth_link"])
                if *v == version && *w == waba =>
            {
                let name = body["configuration_name"].as_str().unwrap_or_default();
                if state.configurations.contains_key(name) {
                    ok(oauth_link(name))
                } else {
                    missing_object(name)
                }
            }
            ("GET", [v, p, "payments", config, reference]) if *v == version && *p == phone => {
                match state
                    .payments
                    .get(&((*config).to_owned(), (*reference).to_owned()))
                {
                    Some(payment) => ok(json!({"payments": [payment]})),
                    None => missing_object(reference),
                }
            }
            _ => missing_object(path),
        }
    }
}

fn oauth_link(name: &str) -> Value {
    json!({
        "oauth_url": format!("https://www.facebook.com/fake-payments-oauth/{name}"),
        "expiration": FAKE_OAUTH_EXPIRATION,
    })
}

fn create(state: &mut PaymentsState, body: &Value) -> ResponseTemplate {
    let Some(name) = body["configuration_name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
    else {
        return invalid_parameter("The parameter configuration_name is required.");
    };
    if state.configurations.contains_key(name) {
        return invalid_parameter("A payment configuration with this name already exists.");
    }
    let Some(provider) = body["provider_name"].as_str() else {
        return invalid_parameter("The parameter provider_name is required.");
    };
    let code = |key: &str| body[key].as_str().filter(|c| !c.trim().is_empty());
    let (Some(mcc), Some(purpose)) = (code("merchant_category_code"), code("purpose_code")) else {
        return invalid_parameter(
            "The parameters merchant_category_code and purpose_code are required.",
        );
    };
    let upi = provider == "upi_vpa";
    let mut configuration = json!({
        "configuration_name": name,
        "provider_name": provider,
        "merchant_category_code": {"code": mcc, "description": "Fake MCC"},
        "purpose_code": {"code": purpose, "description": "Fake purpose"},
        "status": if upi { "Active" } else { "Needs_Connecting" },
        "created_timestamp": FAKE_OAUTH_EXPIRATION - 86_400,
        "updated_timestamp": FAKE_OAUTH_EXPIRATION - 86_400,
    });
    if let Some(vpa) = body["merchant_vpa"].as_str() {
        configuration["merchant_vpa"] = json!(vpa);
    }
    state.configurations.insert(name.to_owned(), configuration);
    if upi {
        ok(json!({"success": true}))
    } else {
        let mut answer = oauth_link(name);
        answer["success"] = json!(true);
        ok(answer)
    }
}

impl FakeCloudApi {
    /// Serves the Payments API routes (called once at start).
    pub(super) async fn mount_payments(&self) {
        let responder = PaymentsResponder {
            store: self.payments.clone(),
            version: crate::endpoint::DEFAULT_API_VERSION,
            waba: self.waba_id().to_owned(),
            phone: self.phone_number_id.clone(),
        };
        let bearer = format!("Bearer {}", self.access_token);
        Mock::given(path_regex(
            "/(payment_configurations?(/[^/]+)?|generate_payment_configuration_oauth_link|payments/[^/]+/[^/]+)$",
        ))
        .and(header("authorization", bearer.as_str()))
        .respond_with(responder)
        .with_priority(5)
        .mount(&self.server)
        .await;
    }

    /// Scripts the payment lookup of order `reference_id` through `configuration_name`: it answers
    /// `status` with the amount `value / 100` in `currency` and, once the user has tried to pay, one
    /// Razorpay UPI transaction (`success` when captured, `failed` when failed, else `pending`).
    /// Calling it again replaces the payment.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::testing::FakeCloudApi;
    /// use whatsapp_cloud::webhook::PaymentStatus;
    /// let fake = FakeCloudApi::start().await;
    /// fake.set_payment("razorpay-prod", "order-42", PaymentStatus::Captured, 21000, "INR");
    /// let found = fake.client()?.lookup_payment("razorpay-prod", "order-42").await?;
    /// assert_eq!(found.payments[0].status, PaymentStatus::Captured);
    /// # Ok(()) }
    /// ```
    pub fn set_payment(
        &self,
        configuration_name: &str,
        reference_id: &str,
        status: PaymentStatus,
        value: u64,
        currency: &str,
    ) {
        let amount = json!({"value": value, "offset": 100});
        let transaction_status = match status {
            PaymentStatus::Captured => "success",
            PaymentStatus::Failed => "failed",
            _ => "pending",
        };
        let mut payment = json!({
            "reference_id": reference_id,
            "status": status.as_str(),
            "amount": amount,
            "currency": currency,
            "transactions": [],
        });
        if status != PaymentStatus::New {
            payment["transactions"] = json!([{
                "id": format!("fake-pay-{reference_id}"),
                "type": "razorpay",
                "status": transaction_status,
                "created_timestamp": FAKE_OAUTH_EXPIRATION - 3_600,
                "updated_timestamp": FAKE_OAUTH_EXPIRATION - 3_000,
                "amount": amount,
                "currency": currency,
                "method": {"type": "upi"},
            }]);
        }
        self.payments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .payments
            .insert(
                (configuration_name.to_owned(), reference_id.to_owned()),
                payment,
            );
    }

    /// Marks a payment configuration `Active`, as connecting its gateway account and testing it
    /// in WhatsApp Manager would. Returns false for an unknown name.
    pub fn connect_payment_configuration(&self, configuration_name: &str) -> bool {
        let mut state = self.payments.lock().unwrap_or_else(PoisonError::into_inner);
        match state.configurations.get_mut(configuration_name) {
            Some(c) => {
                c["status"] = json!("Active");
                true
            }
            None => false,
        }
    }
}
