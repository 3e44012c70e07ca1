//! Analytics over the client: shortcuts for the [`endpoint::analytics`](crate::endpoint::analytics)
//! queries and the template analytics of [`endpoint::templates`](crate::endpoint::templates).

use super::Client;
use crate::endpoint::analytics::{
    CallAnalytics, ConversationAnalytics, GetCallAnalytics, GetConversationAnalytics,
    GetMessagingAnalytics, GetPricingAnalytics, MessagingAnalytics, PricingAnalytics,
};
use crate::endpoint::paging::Paginated;
use crate::endpoint::templates::{
    CompareTemplates, EnableTemplateInsights, GetTemplateAnalytics, GetTemplateGroupAnalytics,
    InsightsEnabled, TemplateAnalyticsEntry, TemplateComparison, TemplateDataPoint,
};
use crate::error::Error;
use futures_util::{Stream, TryStreamExt, stream};

impl Client {
    /// Messages sent and delivered by the account's numbers.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::analytics::{GetMessagingAnalytics, MessagingGranularity};
    /// let analytics = client
    ///     .messaging_analytics(&GetMessagingAnalytics::new(1_748_736_000, 1_751_328_000, MessagingGranularity::Day))
    ///     .await?;
    /// for point in &analytics.data_points {
    ///     println!("{}: {:?} sent, {:?} delivered", point.start, point.sent, point.delivered);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (`start` not before `end`, a malformed number or
    /// country), [`Error::Config`] without an account id, API and transport errors.
    pub async fn messaging_analytics(
        &self,
        query: &GetMessagingAnalytics,
    ) -> Result<MessagingAnalytics, Error> {
        self.send(query).await
    }

    /// Conversations and their cost (conversation-based pricing).
    ///
    /// # Errors
    /// As [`Client::messaging_analytics`].
    pub async fn conversation_analytics(
        &self,
        query: &GetConversationAnalytics,
    ) -> Result<ConversationAnalytics, Error> {
        self.send(query).await
    }

    /// Messages charged or free, and their cost (per-message pricing).
    ///
    /// # Errors
    /// As [`Client::messaging_analytics`].
    pub async fn pricing_analytics(
        &self,
        query: &GetPricingAnalytics,
    ) -> Result<PricingAnalytics, Error> {
        self.send(query).await
    }

    /// Calls, their cost and average duration.
    ///
    /// # Errors
    /// As [`Client::messaging_analytics`].
    pub async fn call_analytics(&self, query: &GetCallAnalytics) -> Result<CallAnalytics, Error> {
        self.send(query).await
    }

    /// Confirms template analytics for the account (once; Meta cannot turn them off again).
    ///
    /// # Errors
    /// [`Error::Config`] without an account id, API and transport errors.
    pub async fn enable_template_insights(&self) -> Result<InsightsEnabled, Error> {
        self.send(&EnableTemplateInsights).await
    }

    /// Every data point of a template analytics query, across pages, fetched a page at a time.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use futures_util::TryStreamExt;
    /// use whatsapp_cloud::endpoint::templates::GetTemplateAnalytics;
    /// client.enable_template_insights().await?;
    /// let points: Vec<_> = client
    ///     .template_analytics(GetTemplateAnalytics::new(1_748_736_000, 1_749_340_800, ["1924084211297547"]))
    ///     .try_collect()
    ///     .await?;
    /// let sent: u64 = points.iter().filter_map(|p| p.sent).sum();
    /// # Ok(()) }
    /// ```
    pub fn template_analytics(
        &self,
        query: GetTemplateAnalytics,
    ) -> impl Stream<Item = Result<TemplateDataPoint, Error>> + '_ {
        self.analytics_points(query)
    }

    /// Every data point of a template group analytics query, across pages.
    pub fn template_group_analytics(
        &self,
        query: GetTemplateGroupAnalytics,
    ) -> impl Stream<Item = Result<TemplateDataPoint, Error>> + '_ {
        self.analytics_points(query)
    }

    /// Compares two templates' block rates, sends and top block reasons.
    ///
    /// # Errors
    /// [`Error::Validation`] for the same template twice or a non-numeric id, API errors (too few
    /// sends in the window), transport errors.
    pub async fn compare_templates(
        &self,
        compare: &CompareTemplates,
    ) -> Result<TemplateComparison, Error> {
        self.send(compare).await
    }

    fn analytics_points<E>(
        &self,
        query: E,
    ) -> impl Stream<Item = Result<TemplateDataPoint, Error>> + '_
    where
        E: Paginated<Item = TemplateAnalyticsEntry> + 'static,
    {
        self.items(query)
            .map_ok(|entry| stream::iter(entry.data_points.into_iter().map(Ok)))
            .try_flatten()
    }
}
