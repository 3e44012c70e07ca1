//! The checks of the payment messages (references, limits, amounts that add up) and the wire form of
//! a payment setting.

use super::order::{
    Amount, Charge, GatewayProvider, Order, OrderDetails, OrderStatus, PaymentSetting, PaymentType,
};
use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

impl Serialize for PaymentSetting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Razorpay<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            receipt: Option<&'a str>,
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            notes: &'a BTreeMap<String, String>,
        }
        struct Gateway<'a>(&'a PaymentSetting);
        impl Serialize for Gateway<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                if let PaymentSetting::PaymentGateway {
                    provider,
                    configuration_name,
                    receipt,
                    notes,
                } = self.0
                {
                    map.serialize_entry("type", provider)?;
                    map.serialize_entry("configuration_name", configuration_name)?;
                    if receipt.is_some() || !notes.is_empty() {
                        map.serialize_entry(
                            "razorpay",
                            &Razorpay {
                                receipt: receipt.as_deref(),
                                notes,
                            },
                        )?;
                    }
                }
                map.end()
            }
        }
        #[derive(Serialize)]
        struct Link<'a> {
            uri: &'a str,
        }
        #[derive(Serialize)]
        struct Pix<'a> {
            code: &'a str,
            merchant_name: &'a str,
            key: &'a str,
            key_type: super::order::PixKeyType,
        }
        #[derive(Serialize)]
        struct Boleto<'a> {
            digitable_line: &'a str,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        let kind = self.type_name();
        map.serialize_entry("type", kind)?;
        match self {
            Self::PaymentGateway { .. } => map.serialize_entry(kind, &Gateway(self))?,
            Self::PaymentLink { uri } => map.serialize_entry(kind, &Link { uri })?,
            Self::PixDynamicCode {
                code,
                merchant_name,
                key,
                key_type,
            } => map.serialize_entry(
                kind,
                &Pix {
                    code,
                    merchant_name,
                    key,
                    key_type: *key_type,
                },
            )?,
            Self::Boleto { digitable_line } => {
                map.serialize_entry(kind, &Boleto { digitable_line })?
            }
        }
        map.end()
    }
}

/// An order reference: 1 to 35 letters, digits, `_`, `-` or `.`.
fn reference_id(field: &str, value: &str) -> Result<(), ValidationError> {
    limits::non_blank(field, value)?;
    limits::max_chars(field, value, limits::ORDER_REFERENCE_ID_MAX)?;
    if value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        Ok(())
    } else {
        Err(limits::invalid(
            field,
            value,
            "only English letters, digits, '_', '-' and '.'",
        ))
    }
}

/// Fails when `amount` is not written with `offset` (every amount of an order shares the offset of
/// its `total_amount`, so that they can be added up).
fn same_offset(field: &str, amount: Amount, offset: u32) -> Result<(), ValidationError> {
    if amount.offset() == offset {
        Ok(())
    } else {
        Err(limits::invalid(
            format!("{field}.offset"),
            amount.offset().to_string(),
            &format!("{offset}, the offset of total_amount"),
        ))
    }
}

fn sum_mismatch(field: &str, actual: u64, expected: u128, what: &str) -> ValidationError {
    limits::invalid(
        format!("{field}.value"),
        actual.to_string(),
        &format!("{expected} ({what}); Meta rejects an order whose amounts do not add up"),
    )
}

fn charge(field: &str, charge: Option<&Charge>, offset: u32) -> Result<u128, ValidationError> {
    match charge {
        Some(c) => {
            same_offset(field, c.amount, offset)?;
            c.validate(field)?;
            Ok(u128::from(c.amount.value()))
        }
        None => Ok(0),
    }
}

fn validate_order(p: &str, order: &Order, total: Amount) -> Result<(), ValidationError> {
    let o = format!("{p}.order");
    let offset = total.offset();
    if order.items.is_empty() {
        return Err(ValidationError::new(
            format!("{o}.items"),
            Violation::TooFew { min: 1, actual: 0 },
        ));
    }
    if let Some(id) = &order.catalog_id {
        limits::id_unbounded(&format!("{o}.catalog_id"), id)?;
    }
    if let Some(exp) = &order.expiration {
        limits::required_text(
            &format!("{o}.expiration.description"),
            &exp.description,
            limits::ORDER_EXPIRATION_DESCRIPTION_MAX,
        )?;
    }
    let mut items_sum: u128 = 0;
    for (i, item) in order.items.iter().enumerate() {
        let path = format!("{o}.items[{i}]");
        limits::id_unbounded(&format!("{path}.retailer_id"), &item.retailer_id)?;
        limits::required_text(
            &format!("{path}.name"),
            &item.name,
            limits::ORDER_ITEM_NAME_MAX,
        )?;
        if item.quantity == 0 {
            return Err(ValidationError::new(
                format!("{path}.quantity"),
                Violation::OutOfRange {
                    min: 1,
                    max: i64::from(u32::MAX),
                    actual: 0,
                },
            ));
        }
        same_offset(&format!("{path}.amount"), item.amount, offset)?;
        if let Some(sale) = item.sale_amount {
            same_offset(&format!("{path}.sale_amount"), sale, offset)?;
            if sale.value() >= item.amount.value() {
                return Err(limits::invalid(
                    format!("{path}.sale_amount.value"),
                    sale.value().to_string(),
                    &format!("less than the item's amount, {}", item.amount.value()),
                ));
            }
        }
        if let Some(country) = &item.country_of_origin {
            limits::non_blank(&format!("{path}.country_of_origin"), country)?;
        }
        if let Some(name) = &item.importer_name {
            limits::non_blank(&format!("{path}.importer_name"), name)?;
        }
        if let Some(address) = &item.importer_address {
            let a = format!("{path}.importer_address");
            for (key, value) in [
                ("address_line1", &address.address_line1),
                ("city", &address.city),
                ("zone_code", &address.zone_code),
                ("postal_code", &address.postal_code),
                ("country_code", &address.country_code),
            ] {
                limits::non_blank(&format!("{a}.{key}"), value)?;
            }
        }
        items_sum += u128::from(item.unit_price().value()) * u128::from(item.quantity);
    }
    same_offset(&format!("{o}.subtotal"), order.subtotal, offset)?;
    let subtotal = u128::from(order.subtotal.value());
    if subtotal != items_sum {
        return Err(sum_mismatch(
            &format!("{o}.subtotal"),
            order.subtotal.value(),
            items_sum,
            "the items' prices (sale prices when given) times their quantities",
        ));
    }
    let tax = charge(&format!("{o}.tax"), order.tax.as_ref(), offset)?;
    let shipping = charge(&format!("{o}.shipping"), order.shipping.as_ref(), offset)?;
    let discount = charge(
        &format!("{o}.discount"),
        order.discount.as_ref().map(|d| &d.charge),
        offset,
    )?;
    if let Some(name) = order
        .discount
        .as_ref()
        .and_then(|d| d.discount_program_name.as_ref())
    {
        limits::required_text(
            &format!("{o}.discount.discount_program_name"),
            name,
            limits::ORDER_CHARGE_DESCRIPTION_MAX,
        )?;
    }
    let before_discount = subtotal + tax + shipping;
    if discount > before_discount {
        return Err(limits::invalid(
            format!("{o}.discount.value"),
            discount.to_string(),
            &format!("at most subtotal + tax + shipping, {before_discount}"),
        ));
    }
    let expected = before_discount - discount;
    if u128::from(total.value()) != expected {
        return Err(sum_mismatch(
            &format!("{p}.total_amount"),
            total.value(),
            expected,
            "subtotal + tax + shipping - discount",
        ));
    }
    Ok(())
}

fn validate_setting(path: &str, setting: &PaymentSetting) -> Result<(), ValidationError> {
    let inner = format!("{path}.{}", setting.type_name());
    match setting {
        PaymentSetting::PaymentGateway {
            provider,
            configuration_name,
            receipt,
            notes,
        } => {
            limits::id_unbounded(&format!("{inner}.configuration_name"), configuration_name)?;
            if *provider != GatewayProvider::Razorpay && (receipt.is_some() || !notes.is_empty()) {
                return Err(limits::invalid(
                    format!("{inner}.razorpay"),
                    "receipt/notes",
                    "no Razorpay fields unless the provider is Razorpay",
                ));
            }
            if let Some(r) = receipt {
                limits::non_blank(&format!("{inner}.razorpay.receipt"), r)?;
            }
            Ok(())
        }
        PaymentSetting::PaymentLink { uri } => limits::http_url(&format!("{inner}.uri"), uri),
        PaymentSetting::PixDynamicCode {
            code,
            merchant_name,
            key,
            ..
        } => {
            limits::non_blank(&format!("{inner}.code"), code)?;
            limits::non_blank(&format!("{inner}.merchant_name"), merchant_name)?;
            limits::non_blank(&format!("{inner}.key"), key)
        }
        PaymentSetting::Boleto { digitable_line } => {
            limits::non_blank(&format!("{inner}.digitable_line"), digitable_line)
        }
    }
}

/// Checks the parameters of an `order_details` message or template button, found at `p`.
pub(crate) fn validate_order_details(p: &str, d: &OrderDetails) -> Result<(), ValidationError> {
    reference_id(&format!("{p}.reference_id"), &d.reference_id)?;
    if d.currency.len() != limits::CURRENCY_CODE_LEN
        || !d.currency.bytes().all(|b| b.is_ascii_uppercase())
    {
        return Err(limits::invalid(
            format!("{p}.currency"),
            &d.currency,
            "an ISO 4217 currency code such as \"INR\" or \"BRL\"",
        ));
    }
    match d.payment_type {
        Some(PaymentType::Upi) if d.payment_configuration.is_none() => {
            return Err(ValidationError::new(
                format!("{p}.payment_configuration"),
                Violation::Missing,
            ));
        }
        Some(PaymentType::Brazil) if d.currency != "BRL" => {
            return Err(limits::invalid(
                format!("{p}.currency"),
                &d.currency,
                "\"BRL\" (payment_type \"br\")",
            ));
        }
        _ => {}
    }
    if let Some(name) = &d.payment_configuration {
        limits::id_unbounded(&format!("{p}.payment_configuration"), name)?;
    }
    limits::unique(
        |i| format!("{p}.payment_settings[{i}].type"),
        d.payment_settings.iter().map(PaymentSetting::type_name),
    )?;
    for (i, setting) in d.payment_settings.iter().enumerate() {
        validate_setting(&format!("{p}.payment_settings[{i}]"), setting)?;
    }
    if d.total_amount.offset() == 0 {
        return Err(limits::invalid(
            format!("{p}.total_amount.offset"),
            "0",
            "a positive offset such as 100",
        ));
    }
    match &d.order {
        Some(order) => validate_order(p, order, d.total_amount),
        None => Ok(()),
    }
}

/// Checks an `order_status` message's parameters.
pub(super) fn validate_order_status(s: &OrderStatus) -> Result<(), ValidationError> {
    let p = "interactive.action.parameters";
    reference_id(&format!("{p}.reference_id"), &s.reference_id)?;
    match &s.order.description {
        Some(d) => limits::required_text(
            &format!("{p}.order.description"),
            d,
            limits::ORDER_STATUS_DESCRIPTION_MAX,
        ),
        None => Ok(()),
    }
}
