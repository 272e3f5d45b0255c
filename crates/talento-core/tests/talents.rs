//! The talent registry on a real encrypted store: codes, validation, duplicates, search, edit, erase, concurrency.

use std::path::Path;

use talento_core::dto::FirstRunInput;
use talento_core::talents::dto::{ProductionCredit, SaveOutcome, TalentDto, TalentInput, TalentQuery};
use talento_core::{CoreError, Options, Talento};
use talento_domain::talent::{Gender, TalentKind};
use talento_domain::{FieldProblem, Locale};

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";
const EMAIL: &str = "admin@kourouma.sn";

fn set_up(dir: &Path) -> Talento {
    let mut talento = Talento::open(dir, Options::default()).expect("open");
    talento
        .first_run(FirstRunInput {
            agency_name: "Agence Kourouma".into(),
            admin_name: "Awa Diop".into(),
            admin_email: EMAIL.into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            locale: Locale::Fr,
        })
        .expect("first run");
    talento
}

fn general(first: &str, last: &str, origin: &str, city: &str) -> TalentInput {
    TalentInput {
        kind: Some(TalentKind::General),
        first_name: first.into(),
        last_name: last.into(),
        gender: Some(Gender::F),
        birth_date: "1996-04-12".into(),
        origin_country: origin.into(),
        origin_city: "VNL".into(),
        residence_country: origin.into(),
        residence_city: city.into(),
        residence_city_other: (city == "VNL").then(|| "Ziguinchor".into()),
        consent: true,
        ..TalentInput::default()
    }
}

fn city_code(talento: &mut Talento, country: &str, name: &str) -> String {
    // The seeds' codes are data; tests look them up instead of hard-coding them.
    let _ = talento;
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cities.csv")).expect("seeds");
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[0] == country && f[2] == name)
        .map(|f| f[1].to_owned())
        .unwrap_or_else(|| panic!("{name} ({country}) is in the seeds"))
}

fn saved(outcome: SaveOutcome) -> TalentDto {
    match outcome {
        SaveOutcome::Saved { talent } => *talent,
        SaveOutcome::PossibleDuplicates { candidates } => {
            panic!("unexpected duplicates: {candidates:?}")
        }
    }
}

fn problems(error: CoreError) -> Vec<(&'static str, FieldProblem)> {
    match error {
        CoreError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn general_and_cinema_codes_follow_their_formats_and_count_per_scope() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let dakar = city_code(&mut t, "SN", "Dakar");
    let a = saved(t.register_talent(general("Aïssatou", "Ndiaye", "SN", &dakar)).expect("register"));
    let b = saved(t.register_talent(general("Fatou", "Sow", "SN", &dakar)).expect("register"));
    assert_eq!(a.code, format!("SNF0001{dakar}"), "general: origin SN, F, first number, residence city");
    assert_eq!(b.code, format!("SNF0002{dakar}"), "numbers count per origin country");

    let casablanca = city_code(&mut t, "MA", "Casablanca");
    let mut cinema = general("Youssef", "El Amrani", "MA", &casablanca);
    cinema.kind = Some(TalentKind::Cinema);
    cinema.gender = Some(Gender::M);
    cinema.height_cm = Some(182);
    cinema.talent_types = vec![];
    cinema.productions =
        vec![ProductionCredit { title: "Les Sentinelles".into(), year: Some(2024), role: Some("Garde".into()) }];
    let c = saved(t.register_talent(cinema).expect("register cinema"));
    assert_eq!(c.code, format!("MA{casablanca}0001M"), "cinema: residence country and city, number, gender");
    assert_eq!(c.productions.len(), 1);
    assert_eq!(t.get_talent(&c.code).expect("by code").id, c.id, "a profile opens by its code");
}

#[test]
fn bad_input_is_refused_field_by_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let mut input = general("Aïssatou", "Ndiaye", "SN", "ZZZ");
    input.birth_date = "2999-01-01".into();
    input.email = Some("aissatou@@mail".into());
    input.phone = Some("12".into());
    input.website = Some("javascript:alert(1)".into());
    input.languages = vec!["klingon".into()];
    input.consent = false;
    let found = problems(t.register_talent(input).expect_err("invalid"));
    for expected in [
        ("birthDate", FieldProblem::DateInFuture),
        ("residenceCity", FieldProblem::UnknownValue),
        ("email", FieldProblem::InvalidEmail),
        ("phone", FieldProblem::InvalidPhone),
        ("website", FieldProblem::InvalidUrl),
        ("languages", FieldProblem::UnknownValue),
        ("consent", FieldProblem::ConsentRequired),
    ] {
        assert!(found.contains(&expected), "{expected:?} must be reported; got {found:?}");
    }
    assert_eq!(t.search_talents(&TalentQuery::default()).expect("search").total, 0, "nothing half-saved");
    let error = CoreError::Validation(vec![]).to_app_error(Locale::En);
    assert!(!error.message.is_empty());
}

#[test]
fn duplicates_are_shown_and_the_user_may_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let dakar = city_code(&mut t, "SN", "Dakar");
    let mut first = general("Aïssatou", "Ndiaye", "SN", &dakar);
    first.phone = Some("77 123 45 67".into());
    let original = saved(t.register_talent(first).expect("register"));
    assert_eq!(original.personal.as_ref().and_then(|p| p.phone.as_deref()), Some("+221771234567"), "stored E.164");

    let mut again = general("AISSATOU", "NDIAYE", "SN", &dakar);
    again.phone = Some("+221 77 123 45 67".into());
    match t.register_talent(again.clone()).expect("check") {
        SaveOutcome::PossibleDuplicates { candidates } => {
            assert_eq!(candidates.len(), 1);
            assert_eq!(candidates[0].reasons, vec!["name_and_birth_date", "phone"], "both reasons are named");
        }
        SaveOutcome::Saved { .. } => panic!("a likely duplicate must be shown before saving"),
    }
    again.confirm_duplicates = true;
    let second = saved(t.register_talent(again).expect("save anyway"));
    assert_ne!(second.code, original.code, "a confirmed duplicate still gets its own code");
}

#[test]
fn search_ignores_accents_and_case_and_filters_combine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let fes = city_code(&mut t, "MA", "Fès");
    let dakar = city_code(&mut t, "SN", "Dakar");
    let mut aissatou = general("Aïssatou", "Diallo", "SN", &dakar);
    aissatou.languages = vec!["wolof".into(), "french".into()];
    aissatou.bio = Some("Chanteuse et danseuse".into());
    saved(t.register_talent(aissatou).expect("register"));
    let mut omar = general("Omar", "NDIAYE", "MA", &fes);
    omar.gender = Some(Gender::M);
    omar.birth_date = "1980-01-01".into();
    saved(t.register_talent(omar).expect("register"));

    let find = |t: &mut Talento, q: TalentQuery| -> Vec<String> {
        t.search_talents(&q).expect("search").items.into_iter().map(|i| i.first_name).collect()
    };
    let text = |s: &str| TalentQuery { text: Some(s.into()), ..TalentQuery::default() };
    assert_eq!(find(&mut t, text("aissatou")), ["Aïssatou"], "accents are ignored");
    assert_eq!(find(&mut t, text("ndiaye")), ["Omar"], "case is ignored");
    assert_eq!(find(&mut t, text("fes")), ["Omar"], "places are searchable, accent-free");
    assert_eq!(find(&mut t, text("dans")), ["Aïssatou"], "words match by prefix, bio included");
    assert_eq!(find(&mut t, text("Wolof")), ["Aïssatou"], "languages by their label");
    let men_over_40 = TalentQuery { gender: Some(Gender::M), age_min: Some(40), ..TalentQuery::default() };
    assert_eq!(find(&mut t, men_over_40), ["Omar"]);
    let wolof_in_morocco =
        TalentQuery { languages: vec!["wolof".into()], residence_country: Some("MA".into()), ..TalentQuery::default() };
    assert!(find(&mut t, wolof_in_morocco).is_empty(), "filters combine with AND");
    assert_eq!(t.search_talents(&TalentQuery::default()).expect("all").total, 2, "the count is returned");
}

#[test]
fn edits_keep_the_code_and_log_only_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let dakar = city_code(&mut t, "SN", "Dakar");
    let talent = saved(t.register_talent(general("Mariama", "Bâ", "SN", &dakar)).expect("register"));
    let mut edit = general("Mariama", "Bâ", "SN", "VNL");
    edit.gender = Some(Gender::N);
    edit.bio = Some("Comédienne".into());
    let edited = saved(t.update_talent(&talent.id, edit).expect("update"));
    assert_eq!(edited.code, talent.code, "codes never change once issued");
    assert_eq!(edited.residence_city_other.as_deref(), Some("Ziguinchor"));
    let last = t.changes_since(0, 100).expect("log").pop().expect("a change");
    let mut fields: Vec<&String> = last.fields.as_object().expect("object").keys().collect();
    fields.sort();
    assert_eq!(
        fields,
        ["bio", "gender", "residence_city", "residence_city_other", "updated_at"],
        "only changed fields travel, with the time of the change (so every laptop shows the same)"
    );
    let history = t.talent_history(&talent.id).expect("history");
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["talent_updated", "talent_created"]);
}

#[test]
fn deactivate_hides_and_erase_removes_personal_data_for_good() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let dakar = city_code(&mut t, "SN", "Dakar");
    let mut input = general("Khady", "Faye", "SN", &dakar);
    input.email = Some("khady@example.sn".into());
    let talent = saved(t.register_talent(input).expect("register"));
    t.set_talent_active(&talent.id, false).expect("deactivate");
    assert_eq!(t.search_talents(&TalentQuery::default()).expect("s").total, 0, "inactive profiles are hidden");
    let all = TalentQuery { include_inactive: true, ..TalentQuery::default() };
    assert_eq!(t.search_talents(&all).expect("s").total, 1, "but can be shown");

    t.erase_talent(&talent.id).expect("erase");
    let erased = t.get_talent(&talent.id).expect("the tombstone remains");
    assert!(
        erased.erased
            && erased.first_name.is_empty()
            && erased.personal.as_ref().and_then(|p| p.email.clone()).is_none()
    );
    assert_eq!(erased.code, talent.code, "the code stays reserved");
    assert_eq!(
        t.search_talents(&TalentQuery { text: Some("khady".into()), include_inactive: true, ..TalentQuery::default() })
            .expect("s")
            .total,
        0
    );
    let last = t.changes_since(0, 100).expect("log").pop().expect("change");
    assert_eq!(last.op, "delete", "the erasure travels as a tombstone");
    let again = general("Khady", "Faye", "SN", &dakar);
    assert!(matches!(t.register_talent(again).expect("no duplicate of an erased profile"), SaveOutcome::Saved { .. }));
}

#[test]
fn concurrent_registrations_on_one_store_never_share_a_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(set_up(dir.path()));
    let dakar = {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cities.csv")).expect("seeds");
        text.lines().find(|l| l.starts_with("SN,") && l.contains(",Dakar,")).map(|l| l[3..6].to_owned()).expect("Dakar")
    };
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let dir = dir.path().to_path_buf();
            let dakar = dakar.clone();
            std::thread::spawn(move || {
                let mut t = Talento::open(&dir, Options::default()).expect("open");
                t.login(EMAIL, PASSWORD).expect("login");
                (0..30)
                    .map(|i| {
                        let mut input = general(&format!("Talent{n}x{i}"), "Concurrent", "SN", &dakar);
                        input.confirm_duplicates = true;
                        saved(t.register_talent(input).expect("register")).code
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut codes: Vec<String> = threads.into_iter().flat_map(|h| h.join().expect("thread")).collect();
    let issued = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), issued, "120 registrations from 4 connections at once: 120 distinct codes");
    assert_eq!(codes.last().map(|c| &c[3..7]), Some("0120"), "numbers are dense: blocks are shared, not lost");
}

#[test]
fn drafts_survive_a_restart_and_roles_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    t.save_draft(TalentKind::Cinema, r#"{"step":2,"firstName":"Ngozi"}"#).expect("save draft");
    drop(t);
    let mut t = Talento::open(dir.path(), Options::default()).expect("reopen");
    t.login(EMAIL, PASSWORD).expect("login");
    assert_eq!(t.load_draft(TalentKind::Cinema).expect("load").as_deref(), Some(r#"{"step":2,"firstName":"Ngozi"}"#));
    t.discard_draft(TalentKind::Cinema).expect("discard");
    assert_eq!(t.load_draft(TalentKind::Cinema).expect("load"), None);

    t.create_user(talento_core::dto::NewUserInput {
        name: "Moussa Traoré".into(),
        email: "moussa@kourouma.sn".into(),
        role: talento_domain::Role::Presence,
        password: "Portail-Tournage-Matin-5".into(),
    })
    .expect("officer");
    t.logout().expect("logout");
    t.login("moussa@kourouma.sn", "Portail-Tournage-Matin-5").expect("officer login");
    assert!(
        matches!(t.search_talents(&TalentQuery::default()), Err(CoreError::Forbidden(_))),
        "presence officers do not browse the registry"
    );
    assert!(matches!(t.register_talent(TalentInput::default()), Err(CoreError::Forbidden(_))));
}

fn jpeg(width: u32, height: u32) -> String {
    use base64::Engine;
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn photos_and_cvs_are_checked_by_content_stored_encrypted_and_linked_to_profiles() {
    use base64::Engine;
    use talento_core::talents::files::{CropInput, PhotoUse};
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());

    let staged =
        t.stage_photo(&jpeg(800, 600), Some(CropInput { x: 100, y: 50, size: 500 }), PhotoUse::Profile).expect("photo");
    assert!(staged.thumb.is_some(), "a thumbnail is made with the photo");
    let portrait = t.read_photo(&staged.hash, false).expect("read back");
    let decoded = image::load_from_memory(&portrait).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (512, 512), "stored at 512 px, square");
    let thumb = image::load_from_memory(&t.read_photo(&staged.hash, true).expect("thumb")).expect("jpeg");
    assert_eq!(thumb.width(), 128);
    let on_disk = std::fs::read(dir.path().join("attachments").join(&staged.hash)).expect("file named by hash");
    assert!(!on_disk.windows(3).any(|w| w == [0xFF, 0xD8, 0xFF]), "the file on disk is encrypted, not a JPEG");

    let problem = |e: CoreError| problems(e).pop().map(|(_, p)| p);
    let text_as_photo =
        t.stage_photo(&b64(b"just some text, not an image"), None, PhotoUse::Profile).expect_err("text");
    assert_eq!(problem(text_as_photo), Some(FieldProblem::UnsupportedFile), "judged by content, not by name");
    let out_of_bounds = t.stage_photo(&jpeg(300, 300), Some(CropInput { x: 200, y: 0, size: 200 }), PhotoUse::Profile);
    assert_eq!(problem(out_of_bounds.expect_err("crop")), Some(FieldProblem::InvalidCrop));
    let huge = b64(&vec![0u8; 11 * 1024 * 1024]);
    assert_eq!(
        problem(t.stage_photo(&huge, None, PhotoUse::Profile).expect_err("size")),
        Some(FieldProblem::FileTooLarge { max_mb: 10 })
    );

    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let cv = t.stage_cv(&b64(pdf)).expect("a PDF CV");
    assert_eq!(cv.mime, "application/pdf");
    let png_as_cv = t.stage_cv(&jpeg(20, 20)).expect_err("an image is not a CV");
    assert_eq!(problem(png_as_cv), Some(FieldProblem::UnsupportedFile));

    let dakar = city_code(&mut t, "SN", "Dakar");
    let mut input = general("Aminata", "Touré", "SN", &dakar);
    input.photo = Some(staged.hash.clone());
    input.cv = Some(cv.hash.clone());
    let talent = saved(t.register_talent(input).expect("register with photo and CV"));
    assert_eq!(talent.photo.as_deref(), Some(staged.hash.as_str()));
    assert_eq!(talent.cv_kind.as_deref(), Some("application/pdf"));
    assert!(!talent.missing.contains(&"photo".to_owned()) && talent.completeness > 0);
    let download = t.read_cv(&cv.hash).expect("download");
    assert_eq!((download.extension.as_str(), download.data_base64), ("pdf", b64(pdf)));
    let with_photo = TalentQuery { has_photo: Some(true), ..TalentQuery::default() };
    assert_eq!(t.search_talents(&with_photo).expect("s").total, 1);

    let mut bogus = general("Binta", "Kane", "SN", &dakar);
    bogus.photo = Some("0".repeat(64));
    assert_eq!(
        problems(t.register_talent(bogus).expect_err("unknown file")),
        vec![("photo", FieldProblem::MissingFile)]
    );

    let svg = t.talent_qr_svg(&talent.code).expect("svg");
    assert!(svg.contains("viewBox"));
    let png = t.talent_qr_png(&talent.id, 8).expect("png");
    let img = image::load_from_memory(&png).expect("png").to_luma8();
    let (w, h) = img.dimensions();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        img.get_pixel(x as u32, y as u32).0[0]
    });
    let grids = prepared.detect_grids();
    let (_, content) = grids.first().expect("one QR").decode().expect("decodes");
    assert_eq!(content, talent.code, "the profile QR carries the talent code");

    t.erase_talent(&talent.id).expect("erase");
    assert!(!dir.path().join("attachments").join(&staged.hash).exists(), "erasure removes the photo file");
    assert!(matches!(t.read_cv(&cv.hash), Err(CoreError::NotFound)), "and the CV");
}

#[test]
fn the_search_index_follows_writes_from_this_and_other_processes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut desk = set_up(dir.path());
    let dakar = city_code(&mut desk, "SN", "Dakar");
    saved(desk.register_talent(general("Zeynab", "Sarr", "SN", &dakar)).expect("register"));
    let by_name = |t: &mut Talento| -> Vec<String> {
        let q = TalentQuery { sort: talento_core::talents::dto::TalentSort::Name, ..TalentQuery::default() };
        t.search_talents(&q).expect("search").items.into_iter().map(|i| i.last_name).collect()
    };
    assert_eq!(by_name(&mut desk), ["Sarr"], "the index is built at the first search");

    let mut cli = Talento::open(dir.path(), Options::default()).expect("a second process");
    cli.login(EMAIL, PASSWORD).expect("login");
    saved(cli.register_talent(general("Abdou", "Ba", "SN", &dakar)).expect("register elsewhere"));
    assert_eq!(by_name(&mut desk), ["Ba", "Sarr"], "a change committed by another process is seen at once");

    let zeynab = desk.search_talents(&TalentQuery { text: Some("zeyn".into()), ..TalentQuery::default() }).expect("s");
    let mut rename = general("Zeynab", "Aw", "SN", &dakar);
    rename.bio = Some("Actrice".into());
    saved(desk.update_talent(&zeynab.items[0].id, rename).expect("rename"));
    assert_eq!(by_name(&mut desk), ["Aw", "Ba"], "an edit moves the profile in the name order");
    let one_letter = TalentQuery { text: Some("a".into()), ..TalentQuery::default() };
    assert_eq!(desk.search_talents(&one_letter).expect("s").total, 2, "one letter matches name starts");
}
