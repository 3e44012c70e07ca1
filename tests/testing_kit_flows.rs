//! The fake Cloud API's Flows management: a Flow's lifecycle offline.
#![cfg(feature = "testing")]

use futures_util::TryStreamExt;
use whatsapp_cloud::endpoint::flows::{
    CreateFlow, FlowCategory, FlowStatus, GetFlow, UpdateFlowMetadata,
};
use whatsapp_cloud::error::{ErrorClass, FlowErrorKind};
use whatsapp_cloud::testing::FakeCloudApi;

const VALID: &str = r#"{"version":"7.3","screens":[{"id":"WELCOME","terminal":true,"layout":{"type":"SingleColumnLayout","children":[]}}]}"#;

#[tokio::test]
async fn a_flow_goes_from_draft_to_published_to_deprecated() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let created = client
        .create_flow(&CreateFlow::new("book", [FlowCategory::AppointmentBooking]))
        .await
        .unwrap();
    assert!(created.id.starts_with("fake-flow-"));
    let flow = client.flow(&created.id).await.unwrap();
    assert_eq!(flow.status, Some(FlowStatus::Draft));
    assert_eq!(flow.name.as_deref(), Some("book"));
    assert_eq!(flow.categories, [FlowCategory::AppointmentBooking]);

    // Publishing without a Flow JSON fails a precondition.
    let e = client.publish_flow(&created.id).await.unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::PublishRefused))
    );

    // Invalid JSON: errors with the position of the problem; still not publishable.
    let uploaded = client
        .upload_flow_json(
            &created.id,
            "{\n  \"version\": \"7.3\",\n  \"screens\": [,]\n}",
        )
        .await
        .unwrap();
    assert_eq!(uploaded.validation_errors.len(), 1);
    let e = &uploaded.validation_errors[0];
    assert_eq!(e.error_type.as_deref(), Some("JSON_SCHEMA_ERROR"));
    assert_eq!(
        (e.span.line_start, e.span.column_start),
        (Some(3), Some(15))
    );
    assert!(client.publish_flow(&created.id).await.is_err());
    // Valid JSON but no `screens`.
    let uploaded = client
        .upload_flow_json(&created.id, r#"{"version":"7.3"}"#)
        .await
        .unwrap();
    assert_eq!(
        uploaded.validation_errors[0].message.as_deref(),
        Some("Missing required property 'screens'.")
    );

    let uploaded = client.upload_flow_json(&created.id, VALID).await.unwrap();
    assert!(uploaded.success && uploaded.validation_errors.is_empty());
    let assets: Vec<_> = client.flow_assets(&created.id).try_collect().await.unwrap();
    assert_eq!(assets[0].asset_type, "FLOW_JSON");
    client.publish_flow(&created.id).await.unwrap();
    let flow = client.send(&GetFlow::new(&created.id)).await.unwrap();
    assert_eq!(flow.status, Some(FlowStatus::Published));
    assert_eq!(flow.json_version.as_deref(), Some("7.3"));

    // A published Flow cannot be deleted.
    let e = client.delete_flow(&created.id).await.unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::DeleteRefused))
    );
    client.deprecate_flow(&created.id).await.unwrap();
    assert_eq!(
        client.flow(&created.id).await.unwrap().status,
        Some(FlowStatus::Deprecated)
    );
    let e = client.deprecate_flow(&created.id).await.unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::DeprecateRefused))
    );
}

#[tokio::test]
async fn drafts_are_listed_edited_and_deleted() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let a = client
        .create_flow(
            &CreateFlow::new("a", [FlowCategory::Survey])
                .flow_json(VALID)
                .publish(true),
        )
        .await
        .unwrap();
    let b = client
        .create_flow(&CreateFlow::new("b", [FlowCategory::Other]).clone_flow_id(&a.id))
        .await
        .unwrap();
    let flows: Vec<_> = client.flows().try_collect().await.unwrap();
    let summary: Vec<_> = flows
        .iter()
        .map(|f| (f.id.clone(), f.status.clone().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            (a.id.clone(), FlowStatus::Published),
            (b.id.clone(), FlowStatus::Draft)
        ]
    );
    // The clone has the source's JSON.
    assert_eq!(
        client.flow(&b.id).await.unwrap().json_version.as_deref(),
        Some("7.3")
    );

    // Editing a published Flow returns it to draft.
    client
        .update_flow_metadata(&UpdateFlowMetadata::new(&a.id).name("a2"))
        .await
        .unwrap();
    let edited = client.flow(&a.id).await.unwrap();
    assert_eq!(edited.status, Some(FlowStatus::Draft));
    assert_eq!(edited.name.as_deref(), Some("a2"));

    client.delete_flow(&b.id).await.unwrap();
    let e = client.flow(&b.id).await.unwrap_err();
    assert_eq!(e.api().and_then(|a| a.code()), Some(100));
    let left: Vec<_> = client.flows().try_collect().await.unwrap();
    assert_eq!(left.len(), 1);

    // A duplicate name is refused as Meta does (100).
    let e = client
        .create_flow(&CreateFlow::new("a2", [FlowCategory::Other]))
        .await
        .unwrap_err();
    assert_eq!(e.class(), Some(ErrorClass::InvalidParameter));
}
