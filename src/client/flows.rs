//! WhatsApp Flows management over the client: shortcuts for the
//! [`endpoint::flows`](crate::endpoint::flows) calls. Anything these do not cover (fields, paging
//! by hand) is one [`Client::send`] of the endpoint value away.

use super::Client;
use crate::endpoint::Success;
use crate::endpoint::flows::{
    CreateFlow, CreatedFlow, DeleteFlow, DeprecateFlow, FlowAsset, FlowInfo, FlowJsonUploaded,
    FlowMetric, FlowPreview, GetFlow, GetFlowMetrics, GetFlowPreview, ListFlowAssets, ListFlows,
    MigrateFlows, MigratedFlows, PublishFlow, UpdateFlowMetadata, UploadFlowJson,
};
use crate::error::Error;
use futures_util::Stream;

impl Client {
    /// Creates (or clones) a Flow in the client's WhatsApp Business Account; it starts as a draft.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::flows::{CreateFlow, FlowCategory};
    /// let created = client
    ///     .create_flow(&CreateFlow::new("book_a_table", [FlowCategory::AppointmentBooking]))
    ///     .await?;
    /// let uploaded = client.upload_flow_json(&created.id, std::fs::read("flow.json")?).await?;
    /// for e in &uploaded.validation_errors {
    ///     println!("line {:?}, column {:?}: {:?}", e.span.line_start, e.span.column_start, e.message);
    /// }
    /// if uploaded.validation_errors.is_empty() {
    ///     client.publish_flow(&created.id).await?;
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (no name, no category), [`Error::Config`] without a
    /// WhatsApp Business Account id, API and transport errors.
    pub async fn create_flow(&self, flow: &CreateFlow) -> Result<CreatedFlow, Error> {
        self.send(flow).await
    }

    /// Changes a Flow's name, categories, endpoint or app (a published Flow returns to draft).
    ///
    /// # Errors
    /// [`Error::Validation`] when nothing is set, API and transport errors.
    pub async fn update_flow_metadata(
        &self,
        update: &UpdateFlowMetadata,
    ) -> Result<Success, Error> {
        self.send(update).await
    }

    /// Uploads (replaces) a Flow's JSON; the answer lists the problems Meta found in it.
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty or over-10 MB JSON, API and transport errors.
    pub async fn upload_flow_json(
        &self,
        flow_id: &str,
        json: impl Into<Vec<u8>>,
    ) -> Result<FlowJsonUploaded, Error> {
        self.send(&UploadFlowJson::new(flow_id, json)).await
    }

    /// Reads a Flow with Meta's default fields (see [`GetFlow`] to choose them).
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn flow(&self, flow_id: &str) -> Result<FlowInfo, Error> {
        self.send(&GetFlow::new(flow_id)).await
    }

    /// Every Flow of the account, across pages, fetched a page at a time on demand.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use futures_util::TryStreamExt;
    /// let flows: Vec<_> = client.flows().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn flows(&self) -> impl Stream<Item = Result<FlowInfo, Error>> + '_ {
        self.items(ListFlows::new())
    }

    /// Every asset of a Flow (its Flow JSON, with a download URL), across pages.
    pub fn flow_assets(&self, flow_id: &str) -> impl Stream<Item = Result<FlowAsset, Error>> + '_ {
        self.items(ListFlowAssets::new(flow_id))
    }

    /// A Flow's web preview link; `invalidate` mints a new one.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn flow_preview(
        &self,
        flow_id: &str,
        invalidate: bool,
    ) -> Result<FlowPreview, Error> {
        self.send(&GetFlowPreview::new(flow_id).invalidate(invalidate))
            .await
    }

    /// Publishes a draft Flow.
    ///
    /// # Errors
    /// API errors (139002 when a precondition fails), transport errors.
    pub async fn publish_flow(&self, flow_id: &str) -> Result<Success, Error> {
        self.send(&PublishFlow::new(flow_id)).await
    }

    /// Deprecates a published Flow.
    ///
    /// # Errors
    /// API errors (139003), transport errors.
    pub async fn deprecate_flow(&self, flow_id: &str) -> Result<Success, Error> {
        self.send(&DeprecateFlow::new(flow_id)).await
    }

    /// Deletes a draft Flow.
    ///
    /// # Errors
    /// API errors (139004 for a Flow that is not a draft), transport errors.
    pub async fn delete_flow(&self, flow_id: &str) -> Result<Success, Error> {
        self.send(&DeleteFlow::new(flow_id)).await
    }

    /// Copies Flows from another account into the client's account.
    ///
    /// # Errors
    /// [`Error::Validation`] for more than 100 names, API and transport errors.
    pub async fn migrate_flows(&self, migrate: &MigrateFlows) -> Result<MigratedFlows, Error> {
        self.send(migrate).await
    }

    /// Reads a metric of a Flow's endpoint.
    ///
    /// # Errors
    /// [`Error::Validation`] for a malformed date, API errors (139006 with too little data),
    /// transport errors.
    pub async fn flow_metrics(&self, metrics: &GetFlowMetrics) -> Result<FlowMetric, Error> {
        self.send(metrics).await
    }
}
