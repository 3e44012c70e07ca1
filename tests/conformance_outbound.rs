//! Every outbound request body of the conformance corpus (`outbound_request:*` in
//! `$WHATSAPP_CONFORMANCE_DIR/INDEX.tsv`), rebuilt with our builders and compared as JSON values.
//!
//! Where a file contains something Meta no longer documents, or that we deliberately send
//! differently, the difference is asserted on the file first and then applied to it, with the reason.

use serde_json::{Value, json};
use std::collections::BTreeSet;
mod common;

use common::corpus_dir;
use whatsapp_cloud::message::*;

const TO: &str = "121212121212";

/// The corpus files tagged `outbound_request:*`, by path relative to the corpus.
fn indexed_outbound_files() -> BTreeSet<String> {
    let index = std::fs::read_to_string(corpus_dir().join("INDEX.tsv")).unwrap();
    index
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let file = cols.next()?;
            let _valid = cols.next()?;
            let tags = cols.next()?;
            tags.split(',')
                .any(|t| t.trim().starts_with("outbound_request:"))
                .then(|| file.to_owned())
        })
        .collect()
}

fn corpus_json(file: &str) -> Value {
    let path = corpus_dir().join("bindambc/outbound_requests").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn ours(send: SendMessage) -> Value {
    send.validate().unwrap();
    serde_json::to_value(&send).unwrap()
}

/// The files this test rebuilds; a new file in the index fails `index_lists_exactly_the_files_rebuilt`.
const REBUILT: [&str; 17] = [
    "expectedMessage1.json",
    "expectedMessage2.json",
    "expectedMessage3.json",
    "expectedMessage4.json",
    "expectedMessage5.json",
    "expectedMessage6.json",
    "expectedMessage7.json",
    "expectedMessage8.json",
    "expectedMessage9.json",
    "expectedMessage10.json",
    "expectedMessage11.json",
    "expectedMessage12.json",
    "expectedMessage13.json",
    "expectedMessage14.json",
    "expectedMessage15.json",
    "expectedMessage16.json",
    "expectedMessage17.json",
];

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn index_lists_exactly_the_files_rebuilt() {
    let indexed = indexed_outbound_files();
    let rebuilt: BTreeSet<String> = REBUILT
        .iter()
        .map(|f| format!("bindambc/outbound_requests/{f}"))
        .collect();
    assert_eq!(indexed, rebuilt);
}

// --- Deliberate differences, each asserted on the file before it is applied ------------------------

/// Meta documents `index` as a string (`"0"`); the Java SDK sends an integer. We send the string.
fn index_as_string(file: &mut Value) {
    for component in file["template"]["components"].as_array_mut().unwrap() {
        if component["type"] == "button" {
            let index = component["index"]
                .as_u64()
                .expect("the corpus sends an integer index");
            component["index"] = json!(index.to_string());
        }
    }
}

/// The Cloud API only ever shows `date_time.fallback_value` ("Cloud API always uses the fallback
/// value", in the older Messages reference); the calendar fields (`calendar`, `year`, `month`, ...) belonged to the
/// retired On-Premises API, so our `date_time` parameter does not send them.
fn strip_date_time_components(file: &mut Value) {
    let mut stripped = 0;
    for component in file["template"]["components"].as_array_mut().unwrap() {
        for parameter in component["parameters"].as_array_mut().into_iter().flatten() {
            if parameter["type"] == "date_time" {
                let dt = parameter["date_time"].as_object_mut().unwrap();
                let before = dt.len();
                dt.retain(|k, _| k == "fallback_value");
                assert!(dt.len() < before, "the corpus sends calendar fields");
                stripped += 1;
            }
        }
    }
    assert!(stripped > 0);
}

/// Meta's `interactive.type` values are lower case (`button`, `list`); the Java SDK sends upper case.
fn interactive_type_lower_case(file: &mut Value, upper: &str) {
    assert_eq!(file["interactive"]["type"], upper);
    file["interactive"]["type"] = json!(upper.to_ascii_lowercase());
}

// --- One test per file ---------------------------------------------------------------------------

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn text_with_preview_off() {
    let file = corpus_json("expectedMessage1.json");
    let send = SendMessage::new(
        TO,
        Text::new("*Hello world!*\nSome code here: \n```hello world code here```")
            .preview_url(false),
    );
    assert_eq!(ours(send), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_one_body_parameter() {
    let file = corpus_json("expectedMessage2.json");
    let send = SendMessage::new(
        TO,
        Template::new("number_confirmation", "pt_BR").body([Parameter::text("18754269072")]),
    );
    assert_eq!(ours(send), file);
}

fn three_quick_replies(template: Template, payloads: [&str; 3]) -> Template {
    payloads.iter().enumerate().fold(template, |t, (i, p)| {
        t.button(TemplateButton::quick_reply(i as u8, *p))
    })
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_quick_reply_buttons() {
    let mut file = corpus_json("expectedMessage3.json");
    index_as_string(&mut file);
    let template = Template::new("schedule_confirmation3", "pt_BR").body([
        Parameter::text("Mauricio"),
        Parameter::text("04/11/2022"),
        Parameter::text("14:30"),
    ]);
    let template = three_quick_replies(template, ["OP_YES_48547", "OP_NO_48548", "OP_CH_48549"]);
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_date_time_parameters() {
    let mut file = corpus_json("expectedMessage4.json");
    index_as_string(&mut file);
    strip_date_time_components(&mut file);
    let template = Template::new("schedule_confirmation3", "pt_BR").body([
        Parameter::text("Mauricio"),
        Parameter::date_time("25/03/2023"),
        Parameter::date_time("14:34"),
    ]);
    let template = three_quick_replies(template, ["OP_YES_48547", "OP_NO_48548", "OP_CH_48549"]);
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_image_header_currency_and_date_time() {
    let mut file = corpus_json("expectedMessage5.json");
    index_as_string(&mut file);
    strip_date_time_components(&mut file);
    let template = Template::new("marketing_music_2", "en_US")
        .header([Parameter::image(MediaSource::id("3196424913981611"))])
        .body([
            Parameter::date_time("May 10th, 2023"),
            Parameter::currency("$35", "USD", 30_000),
        ])
        .button(TemplateButton::quick_reply(0, "OP_SHN_454584"))
        .button(TemplateButton::quick_reply(1, "OP_SPR_454585"));
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_document_header_and_url_button() {
    let mut file = corpus_json("expectedMessage6.json");
    index_as_string(&mut file);
    let template = Template::new("new_classes_pdf", "en_US")
        .header([Parameter::document_with_filename(
            MediaSource::id("928860901494862"),
            "Class.pdf",
        )])
        .body([Parameter::text("Mauricio Binda")])
        .button(TemplateButton::url(0, "career-academy/?trk_ref=globalnav"));
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn audio_by_id() {
    let file = corpus_json("expectedMessage7.json");
    assert_eq!(
        ours(SendMessage::new(TO, Audio::from_id("4545454545454"))),
        file
    );
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_video_header() {
    let file = corpus_json("expectedMessage8.json");
    let template = Template::new("video_tm", "en_US")
        .header([Parameter::video(MediaSource::id("4548775454857854"))])
        .body([Parameter::text("Mauricio Binda")]);
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn template_with_image_header() {
    let file = corpus_json("expectedMessage9.json");
    let template = Template::new("auth_app", "pt_BR")
        .header([Parameter::image(MediaSource::id("554066036582230"))])
        .body([Parameter::text("T87-G74-876")]);
    assert_eq!(ours(SendMessage::new(TO, template)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn contact_card() {
    let file = corpus_json("expectedMessage10.json");
    let card = ContactCard::new(Name::new("Mauricio Binda").first_name("Mauricio"))
        .birthday("1900-01-01")
        .email(Email::new("mauriciobinda@hotmail.com").kind(InfoType::Home))
        .address(
            Address::new()
                .zip("10011")
                .country("United States")
                .country_code("US")
                .city("New York")
                .street("47 W 13th St")
                .state("NY")
                .kind(InfoType::Work),
        )
        .url(ContactUrl::new("https://www.google.com").kind(InfoType::Work))
        .org(
            Org::new()
                .company("My company")
                .department("IT")
                .title("Org title"),
        )
        .phone(Phone::new("121212121212").kind(PhoneType::Iphone));
    assert_eq!(ours(SendMessage::new(TO, card)), file);
}

fn yes_no_change() -> [ReplyButton; 3] {
    [
        ReplyButton::new("1278454", "YES"),
        ReplyButton::new("1278455", "NO"),
        ReplyButton::new("1278456", "CHANGE"),
    ]
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn reply_buttons_with_text_header() {
    let mut file = corpus_json("expectedMessage11.json");
    interactive_type_lower_case(&mut file, "BUTTON");
    let m = Interactive::buttons(
        "Would you like to confirm your appointment for tomorrow?",
        yes_no_change(),
    )
    .header("Appointment confirmation.")
    .footer("Choose an option:");
    assert_eq!(ours(SendMessage::new(TO, m)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn list_with_two_sections() {
    let mut file = corpus_json("expectedMessage12.json");
    interactive_type_lower_case(&mut file, "LIST");
    let section = |n: u8| {
        Section::new(
            format!("Section {n}"),
            (1..=3).map(|r| {
                Row::new(format!("SECTION_{n}_ROW_{r}_ID"), format!("Title {r}"))
                    .description(format!("SECTION_{n}_ROW_{r}_DESCRIPTION"))
            }),
        )
    };
    let m = Interactive::list("Body message", "choose an option", [section(1), section(2)])
        .header("Header Text")
        .footer("Footer Text");
    assert_eq!(ours(SendMessage::new(TO, m)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn location_with_string_coordinates() {
    // The corpus sends the coordinates as strings, as Meta's current documentation types them; so do we.
    let file = corpus_json("expectedMessage13.json");
    let pin = Location::new(39.284064, -84.265742)
        .name("Loveland Castle Museum")
        .address("12025 Shore Dr, Loveland, OH 45140");
    assert_eq!(ours(SendMessage::new(TO, pin)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn reply_buttons_with_image_header() {
    let mut file = corpus_json("expectedMessage14.json");
    interactive_type_lower_case(&mut file, "BUTTON");
    let m = Interactive::buttons(
        "Would you like to confirm your appointment for tomorrow?",
        yes_no_change(),
    )
    .header(Header::image(MediaSource::link(
        "https://upload.wikimedia.org/wikipedia/commons/8/87/Tamarama_Beach.jpg",
    )))
    .footer("Choose an option:");
    assert_eq!(ours(SendMessage::new(TO, m)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn reply_buttons_with_video_header() {
    let mut file = corpus_json("expectedMessage15.json");
    interactive_type_lower_case(&mut file, "BUTTON");
    let m = Interactive::buttons(
        "Do you like this video?",
        [ReplyButton::new("1278454", "YES"), ReplyButton::new("1278455", "NO")],
    )
    .header(Header::video(MediaSource::link(
        "https://joy1.videvo.net/videvo_files/video/free/2014-04/large_watermarked/Lonely_tree_at_Sunset_slow_motion_CCBY_NatureClip_preview.mp4",
    )))
    .footer("Choose an option:");
    assert_eq!(ours(SendMessage::new(TO, m)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn reply_buttons_with_document_header() {
    let mut file = corpus_json("expectedMessage16.json");
    interactive_type_lower_case(&mut file, "BUTTON");
    let m = Interactive::buttons(
        "Would you like to confirm your appointment for tomorrow?",
        yes_no_change(),
    )
    .header(Header::document_with_filename(
        MediaSource::link(
            "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf",
        ),
        "schedule.pdf",
    ))
    .footer("Choose an option:");
    assert_eq!(ours(SendMessage::new(TO, m)), file);
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn mark_as_read() {
    let file = corpus_json("expectedMessage17.json");
    let read = MarkAsRead::new("123456");
    read.validate().unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), file);
}
