//! Paging over the client: every page, or every item, of a Graph API list as an async stream. The next
//! page is fetched only when the stream is polled past the current one.

use super::Client;
use crate::endpoint::paging::{Page, Paginated};
use crate::error::Error;
use futures_util::Stream;
use std::collections::VecDeque;

impl Client {
    /// Every page of a list, starting with `first`, fetched on demand.
    ///
    /// The stream ends after the last page, after an error, or if Meta hands back the same cursor twice.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use futures_util::TryStreamExt;
    /// use whatsapp_cloud::endpoint::templates::{ListTemplates, TemplateStatus};
    /// let mut pages = std::pin::pin!(client.pages(ListTemplates::new().status(TemplateStatus::Approved)));
    /// while let Some(page) = pages.try_next().await? {
    ///     for template in page.items() {
    ///         println!("{} ({})", template.name, template.language);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages<E>(&self, first: E) -> impl Stream<Item = Result<Page<E>, Error>> + '_
    where
        E: Paginated + 'static,
    {
        futures_util::stream::try_unfold(
            (Some(first), None::<String>),
            move |(next, last_cursor)| async move {
                let Some(request) = next else {
                    return Ok(None);
                };
                let page = self.send(&request).await?;
                let cursor = page.next_cursor();
                let next = match &cursor {
                    Some(c) if last_cursor.as_ref() != Some(c) => page.next_page(),
                    _ => None,
                };
                Ok(Some((page, (next, cursor))))
            },
        )
    }

    /// Every item of a list, across pages, fetched a page at a time on demand.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use futures_util::TryStreamExt;
    /// use whatsapp_cloud::endpoint::phone_numbers::ListPhoneNumbers;
    /// let numbers: Vec<_> = client.items(ListPhoneNumbers::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn items<E>(&self, first: E) -> impl Stream<Item = Result<E::Item, Error>> + '_
    where
        E: Paginated + 'static,
    {
        futures_util::stream::try_unfold(
            (VecDeque::<E::Item>::new(), Some(first), None::<String>),
            move |(mut buffered, mut next, mut last_cursor)| async move {
                loop {
                    if let Some(item) = buffered.pop_front() {
                        return Ok(Some((item, (buffered, next, last_cursor))));
                    }
                    let Some(request) = next.take() else {
                        return Ok(None);
                    };
                    let page = self.send(&request).await?;
                    let cursor = page.next_cursor();
                    next = match &cursor {
                        Some(c) if last_cursor.as_ref() != Some(c) => page.next_page(),
                        _ => None,
                    };
                    last_cursor = cursor;
                    buffered.extend(page.into_items());
                }
            },
        )
    }
}
