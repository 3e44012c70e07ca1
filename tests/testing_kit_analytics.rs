//! The fake Cloud API's analytics: every query answered offline with one point per time bucket.
#![cfg(feature = "testing")]

use futures_util::TryStreamExt;
use whatsapp_cloud::endpoint::analytics::{
    CallGranularity, ConversationGranularity, GetCallAnalytics, GetConversationAnalytics,
    GetMessagingAnalytics, GetPricingAnalytics, MessagingGranularity, PricingGranularity,
};
use whatsapp_cloud::endpoint::templates::{
    BlockReason, CompareTemplates, CompareWindow, GetTemplateAnalytics,
};
use whatsapp_cloud::testing::FakeCloudApi;

const DAY: u64 = 86_400;
const START: u64 = 1_748_736_000;

#[tokio::test]
async fn the_fake_answers_each_account_analytics_field_by_bucket() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();

    let m = client
        .messaging_analytics(&GetMessagingAnalytics::new(
            START,
            START + 3 * DAY,
            MessagingGranularity::Day,
        ))
        .await
        .unwrap();
    let starts: Vec<u64> = m.data_points.iter().map(|p| p.start).collect();
    assert_eq!(starts, [START, START + DAY, START + 2 * DAY]);
    assert_eq!(m.data_points[1].sent, Some(20));
    assert_eq!(m.data_points[1].delivered, Some(18));

    let c = client
        .conversation_analytics(&GetConversationAnalytics::new(
            START,
            START + 3_600,
            ConversationGranularity::HalfHour,
        ))
        .await
        .unwrap();
    assert_eq!(c.data_points.len(), 2);
    assert_eq!(c.data_points[0].end, START + 1_800);

    let p = client
        .pricing_analytics(&GetPricingAnalytics::new(
            START,
            START + DAY,
            PricingGranularity::Daily,
        ))
        .await
        .unwrap();
    assert_eq!(p.data_points[0].volume, Some(5));
    assert_eq!(p.data_points[0].tier.as_deref(), Some("0:750000"));

    let k = client
        .call_analytics(&GetCallAnalytics::new(
            START,
            START + 45 * DAY,
            CallGranularity::Monthly,
        ))
        .await
        .unwrap();
    assert_eq!(k.data_points.len(), 2);
    assert_eq!(k.data_points[1].end, START + 45 * DAY);
}

#[tokio::test]
async fn the_fake_answers_template_analytics_and_compare() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let enabled = client.enable_template_insights().await.unwrap();
    assert_eq!(enabled.id.as_deref(), Some(fake.waba_id()));

    let points: Vec<_> = client
        .template_analytics(GetTemplateAnalytics::new(
            START,
            START + 2 * DAY,
            ["11", "22"],
        ))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = points
        .iter()
        .map(|p| p.template_id.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["11", "11", "22", "22"]);
    assert_eq!(points[1].sent, Some(200));
    assert_eq!(points[1].clicked[0].count, 14);

    let comparison = client
        .compare_templates(&CompareTemplates::new(
            "11",
            "22",
            START,
            CompareWindow::Days30,
        ))
        .await
        .unwrap();
    assert_eq!(comparison.lowest_block_rate(), Some("22"));
    assert_eq!(comparison.message_sends("11"), Some(1273));
    assert_eq!(
        comparison.top_block_reason("11"),
        Some(&BlockReason::NoLongerNeeded)
    );
}
