//! `talento bench`: builds a seeded synthetic agency in a temporary store (realistic names, places from the seeds)
//! and measures what people feel — registering, processing a photo, searching — on this machine, so performance
//! targets are checked by numbers rather than by timed tests. [`sync`] measures the same agency going through the
//! central server.

pub mod sync;

use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use talento_domain::Locale;
use talento_domain::talent::{Gender, TalentKind};

use crate::dto::FirstRunInput;
use crate::engine::{Options, Talento};
use crate::error::{CoreError, CoreResult};
use crate::talents::dto::{SaveOutcome, TalentInput, TalentQuery};
use crate::talents::{self, files::PhotoUse};

#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    pub talents: u32,
    pub seed: u64,
}

/// Latency statistics in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub samples: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Stats {
    fn of(mut samples: Vec<f64>) -> Stats {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        let mean = samples.iter().sum::<f64>() / samples.len().max(1) as f64;
        let max = samples.last().copied().unwrap_or(0.0);
        Stats { samples: samples.len(), p50_ms: at(0.5), p95_ms: at(0.95), max_ms: max, mean_ms: mean }
    }
}

/// One measured operation, with its target where the product has one (checked against the p95).
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub name: String,
    pub stats: Stats,
    pub target_ms: Option<f64>,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub talents: u32,
    pub populate_secs: f64,
    pub registrations_per_sec: f64,
    pub measures: Vec<Measure>,
    pub store_bytes: u64,
    /// The largest tables and indexes of the database, in bytes (after a checkpoint).
    pub tables: Vec<(String, u64)>,
}

fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Checkpoints the WAL into the database, then sizes its largest objects (SQLite's dbstat table).
fn table_sizes(t: &mut Talento) -> CoreResult<Vec<(String, u64)>> {
    let unlocked = t.unlocked.as_ref().ok_or(CoreError::NotAuthenticated)?;
    let conn = unlocked.store.conn();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let sizes = conn.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").and_then(
        |mut stmt| stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect::<Result<Vec<_>, _>>(),
    );
    Ok(sizes.unwrap_or_default())
}

/// A small deterministic generator (xorshift64*): the same seed builds the same agency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST_F: [&str; 30] = [
    "Aïssatou",
    "Fatou",
    "Mariama",
    "Aminata",
    "Awa",
    "Khadija",
    "Ngozi",
    "Chiamaka",
    "Adjoa",
    "Akosua",
    "Fatoumata",
    "Rokia",
    "Salimata",
    "Nafissatou",
    "Yasmina",
    "Imane",
    "Zineb",
    "Amina",
    "Halima",
    "Binta",
    "Coumba",
    "Ndèye",
    "Sokhna",
    "Oumou",
    "Kadiatou",
    "Esther",
    "Grâce",
    "Joëlle",
    "Nadège",
    "Chloé",
];
const FIRST_M: [&str; 30] = [
    "Moussa",
    "Mamadou",
    "Ibrahima",
    "Ousmane",
    "Cheikh",
    "Abdoulaye",
    "Seydou",
    "Kofi",
    "Kwame",
    "Yaw",
    "Chinedu",
    "Emeka",
    "Oluwaseun",
    "Youssef",
    "Mehdi",
    "Karim",
    "Omar",
    "Amadou",
    "Boubacar",
    "Souleymane",
    "Joël",
    "Serge",
    "Hervé",
    "Didier",
    "Koffi",
    "Yao",
    "Jean-Baptiste",
    "Thierno",
    "Alioune",
    "Lamine",
];
const LAST: [&str; 40] = [
    "Diallo",
    "Ndiaye",
    "Diop",
    "Sow",
    "Ba",
    "Fall",
    "Faye",
    "Sy",
    "Traoré",
    "Keïta",
    "Coulibaly",
    "Koné",
    "Touré",
    "Camara",
    "Cissé",
    "Sangaré",
    "Ouédraogo",
    "Kaboré",
    "Mensah",
    "Owusu",
    "Asante",
    "Okafor",
    "Okonkwo",
    "Adeyemi",
    "Balogun",
    "El Amrani",
    "Benali",
    "Bennani",
    "Alaoui",
    "Tazi",
    "N'Guessan",
    "Kouassi",
    "Kouamé",
    "Yao",
    "Konaté",
    "Bamba",
    "Ọkafọ",
    "Mbaye",
    "Gueye",
    "Niang",
];
const BIOS: [&str; 6] = [
    "Danseuse contemporaine, formée à Dakar, à l’aise devant la caméra.",
    "Comédien de théâtre, dix ans de scène, voix grave.",
    "Chanteuse lyrique et choriste, anglais courant.",
    "Figurant régulier, disponible le week-end, permis B.",
    "Mannequin et photographe amateur.",
    "Conducteur, cascadeur débutant, arts martiaux.",
];

/// Reference keys the generator draws from.
struct Pools {
    places: Vec<(String, String)>,
    languages: Vec<String>,
    general_skills: Vec<String>,
    cinema_skills: Vec<String>,
    eye: Vec<String>,
}

impl Pools {
    fn load(t: &mut Talento) -> CoreResult<Pools> {
        Ok(Pools {
            places: pairs(
                t,
                "SELECT country_iso2, code FROM ref_cities WHERE country_iso2 IN
                 ('SN','CI','MA','NG','GH','ML','BF','CM','TN','DZ','KE','ZA','BJ','TG','GN','NE','CD','GA')",
            )?,
            languages: keys(t, "SELECT key FROM ref_languages")?,
            general_skills: keys(t, "SELECT key FROM ref_talents WHERE tag = 'general'")?,
            cinema_skills: keys(t, "SELECT key FROM ref_talents WHERE tag = 'cinema'")?,
            eye: keys(t, "SELECT key FROM ref_physical_traits WHERE trait = 'eye_color'")?,
        })
    }

    fn talent(&self, rng: &mut Rng) -> TalentInput {
        let female = rng.below(2) == 0;
        let (country, city) = rng.pick(&self.places).clone();
        let kind = if rng.below(2) == 0 { TalentKind::General } else { TalentKind::Cinema };
        let skills = if kind == TalentKind::General { &self.general_skills } else { &self.cinema_skills };
        let cinema = kind == TalentKind::Cinema;
        TalentInput {
            kind: Some(kind),
            first_name: (*rng.pick(if female { &FIRST_F } else { &FIRST_M })).to_owned(),
            last_name: (*rng.pick(&LAST)).to_owned(),
            gender: Some(if female { Gender::F } else { Gender::M }),
            birth_date: format!("{}-{:02}-{:02}", 1960 + rng.below(48), 1 + rng.below(12), 1 + rng.below(28)),
            origin_country: country.clone(),
            origin_city: city.clone(),
            residence_country: country,
            residence_city: city.clone(),
            residence_city_other: (city == "VNL").then(|| "Quartier Nord".to_owned()),
            bio: Some((*rng.pick(&BIOS)).to_owned()),
            languages: (0..1 + rng.below(3)).map(|_| rng.pick(&self.languages).clone()).collect(),
            skills: (0..1 + rng.below(3)).map(|_| rng.pick(skills).clone()).collect(),
            eye_color: cinema.then(|| rng.pick(&self.eye).clone()),
            height_cm: cinema.then(|| 150 + rng.below(50) as u16),
            consent: true,
            confirm_duplicates: true,
            ..TalentInput::default()
        }
    }
}

/// Builds the store in `dir` and measures. `progress` gets a short line now and then.
pub fn run(dir: &Path, options: BenchOptions, mut progress: impl FnMut(&str)) -> CoreResult<BenchReport> {
    let password = "Sahel-Baobab-Tamtam-2026";
    let mut t = Talento::open(dir, Options::default())?;
    t.first_run(FirstRunInput {
        agency_name: "Agence Bench".into(),
        admin_name: "Bench Admin".into(),
        admin_email: "bench@talento.local".into(),
        password: password.into(),
        password_confirm: password.into(),
        locale: Locale::Fr,
    })?;
    let mut rng = Rng(options.seed.max(1));
    let pools = Pools::load(&mut t)?;

    let started = Instant::now();
    let mut done = 0;
    while done < options.talents {
        let n = 2000.min(options.talents - done);
        let inputs: Vec<TalentInput> = (0..n).map(|_| pools.talent(&mut rng)).collect();
        talents::bulk_insert(&mut t, &inputs)?;
        done += n;
        progress(&format!("{done}/{} talents", options.talents));
    }
    let populate_secs = started.elapsed().as_secs_f64();

    let mut measures = Vec::new();
    let mut register = Vec::new();
    for _ in 0..200 {
        let input = pools.talent(&mut rng);
        let start = Instant::now();
        if let SaveOutcome::Saved { talent } = t.register_talent(input)? {
            t.talent_qr_png(&talent.id, 8)?;
        }
        register.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let register = Stats::of(register);
    let registrations_per_sec = 1000.0 / register.mean_ms.max(f64::EPSILON);
    measures.push(measure("registration (code + QR, no photo)", register, Some(10.0)));
    progress("registrations measured");

    let photo = synthetic_jpeg_base64(1155, 866, &mut rng)?;
    let mut photos = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        t.stage_photo(&photo, None, PhotoUse::Profile)?;
        photos.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    measures.push(measure("photo 1 MP JPEG (crop, 512 + 128, encrypt)", Stats::of(photos), Some(150.0)));
    progress("photo measured");

    let start = Instant::now();
    t.search_talents(&TalentQuery::default())?;
    measures.push(measure("first search after login (builds the index)", Stats::of(vec![elapsed_ms(start)]), None));

    let dakar = pools.places.iter().find(|(c, _)| c == "SN").map(|(_, city)| city.clone());
    let text = |s: &str| TalentQuery { text: Some(s.into()), ..TalentQuery::default() };
    let groups: Vec<(&str, Vec<TalentQuery>)> = vec![
        ("search, text alone", vec![text("aissatou"), text("diallo"), text("fes"), text("ndi"), text("danseuse")]),
        (
            "search, filters alone",
            vec![
                TalentQuery { gender: Some(Gender::F), age_min: Some(20), age_max: Some(30), ..TalentQuery::default() },
                TalentQuery { languages: vec![pools.languages[0].clone()], ..TalentQuery::default() },
                TalentQuery { residence_country: Some("SN".into()), residence_city: dakar, ..TalentQuery::default() },
                TalentQuery { skill: Some(format!("general:{}", pools.general_skills[0])), ..TalentQuery::default() },
                TalentQuery {
                    kind: Some(TalentKind::Cinema),
                    eye_color: Some(pools.eye[0].clone()),
                    ..TalentQuery::default()
                },
                TalentQuery::default(),
            ],
        ),
        (
            "search, text and filters",
            vec![
                TalentQuery { gender: Some(Gender::F), ..text("fatou") },
                TalentQuery { residence_country: Some("SN".into()), ..text("diop") },
                TalentQuery { kind: Some(TalentKind::Cinema), age_max: Some(35), ..text("kon") },
            ],
        ),
    ];
    for (name, queries) in groups {
        let mut samples = Vec::new();
        for _ in 0..20 {
            for query in &queries {
                let start = Instant::now();
                t.search_talents(query)?;
                samples.push(start.elapsed().as_secs_f64() * 1000.0);
            }
        }
        measures.push(measure(name, Stats::of(samples), Some(20.0)));
    }
    progress("search measured");
    // A small store (the CLI's own test) gets a proportionally small cast and fewer scans.
    let cast = if options.talents >= 2000 { 500 } else { (options.talents as usize / 4).max(8) };
    let scans = 10_000.min(cast * 20);
    let (badge_measures, project) = badges(&mut t, &mut rng, cast)?;
    measures.extend(badge_measures);
    progress("badges measured");
    measures.extend(presence(&mut t, &project, scans)?);
    progress("presence measured");
    let tables = table_sizes(&mut t)?;
    t.logout()?;
    Ok(BenchReport {
        talents: options.talents,
        populate_secs,
        registrations_per_sec,
        measures,
        store_bytes: folder_size(dir),
        tables,
    })
}

/// Casts `cast` talents (500 in the real benchmark) with distinct photos into a project and measures badge sheets: one A4 sheet of four (layout),
/// and the whole cast (issuing the badges, reading the photos, layout). Gives back the project, for [`presence`].
fn badges(t: &mut Talento, rng: &mut Rng, cast: usize) -> CoreResult<(Vec<Measure>, crate::casting::dto::ProjectDto)> {
    use crate::attachments::{AttachmentKind, Attachments};
    use crate::casting::dto::{AssignInput, BadgePaper, ProductionInput, ProjectInput};
    let production =
        t.create_production(ProductionInput { name: "Les Films du Sahel".into(), ..Default::default() })?;
    let today = jiff::Zoned::now().date();
    let project = t.create_project(ProjectInput {
        name: "Le Chant du Fleuve".into(),
        production_type: Some(talento_domain::casting::ProductionType::Film),
        production_id: production.id,
        origin_country: "SN".into(),
        start_date: today.to_string(),
        end_date: today.saturating_add(jiff::Span::new().days(30)).to_string(),
        ..Default::default()
    })?;
    let ids = keys(t, &format!("SELECT id FROM talents ORDER BY rowid LIMIT {cast}"))?;
    // Distinct 512 px portraits, as the photo pipeline stores them, so no two badges share an image.
    let attachments = Attachments::new(&t.files.dir);
    let unlocked = t.unlocked.as_mut().ok_or(CoreError::NotAuthenticated)?;
    let key = unlocked.data_key.clone();
    let now = crate::engine::now_iso();
    let tx = unlocked.store.transaction()?;
    for id in &ids {
        let shade = (rng.next() % 200) as u8;
        let pixels: Vec<u8> = (0..512 * 512)
            .flat_map(|i| {
                let noise = (rng.next() % 16) as u8;
                [shade.wrapping_add(noise), ((i / 512) % 256) as u8, 120u8.wrapping_add(noise)]
            })
            .collect();
        let jpeg = talento_documents::photo::encode_rgb_jpeg(512, 512, &pixels)
            .map_err(|e| CoreError::Internal(format!("synthetic photo: {e}")))?;
        let hash = attachments.put(&tx, &key, AttachmentKind::Photo, "image/jpeg", &jpeg, &now)?;
        tx.execute("UPDATE talents SET photo = ?1 WHERE id = ?2", [&hash, id])?;
    }
    tx.commit()?;
    t.assign_talents(
        &project.id,
        AssignInput { talent_ids: ids, talent_type: "extra".into(), role: Some("Figurant".into()) },
    )?;
    let roster = t.project_roster(&project.id, false)?;
    let four: Vec<String> = roster.iter().take(4).map(|a| a.id.clone()).collect();
    let sheet = t.prepare_badges(&project.id, Some(&four), false)?;
    let mut samples = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        crate::casting::badges::render_badges(&sheet, BadgePaper::A4, &mut |_, _| true)?;
        samples.push(elapsed_ms(start));
    }
    let mut measures = vec![measure("badges, one A4 sheet of 4 (layout)", Stats::of(samples), Some(20.0))];
    let mut samples = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let all = t.prepare_badges(&project.id, None, false)?;
        crate::casting::badges::render_badges(&all, BadgePaper::A4, &mut |_, _| true)?;
        samples.push(elapsed_ms(start));
    }
    let name = format!("badges, {cast} with photos (issue + photos + layout)");
    measures.push(measure(&name, Stats::of(samples), Some(5000.0)));
    Ok((measures, project))
}

/// Scans at the gate of the project [`badges`] made: `scans` scans (10,000 in the real benchmark) cycling through its badges, each day
/// everybody in, then out, then once more ("already complete"), over seven days, each scan verified and recorded.
fn presence(t: &mut Talento, project: &crate::casting::dto::ProjectDto, scans: usize) -> CoreResult<Vec<Measure>> {
    use crate::presence::dto::{ScanAction, ScanMethod};
    let tokens: Vec<String> = t.prepare_badges(&project.id, None, false)?.into_iter().map(|b| b.token).collect();
    let tz = jiff::tz::TimeZone::system();
    let first_day = project.start_date.parse::<jiff::civil::Date>().map_err(|e| CoreError::Internal(e.to_string()))?;
    let per_day = tokens.len() * 3;
    let mut samples = Vec::with_capacity(scans);
    for n in 0..scans {
        let (day, k) = (n / per_day, n % per_day);
        let at = first_day
            .saturating_add(jiff::Span::new().days(day as i64))
            .at(6, 0, 0, 0)
            .to_zoned(tz.clone())
            .map_err(|e| CoreError::Internal(e.to_string()))?
            .timestamp()
            .saturating_add(jiff::SignedDuration::from_secs(2 * k as i64))
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let start = Instant::now();
        let outcome = t.scan_badge_at(&project.id, &tokens[k % tokens.len()], ScanMethod::Scanner, at)?;
        samples.push(elapsed_ms(start));
        let expected = [ScanAction::CheckedIn, ScanAction::CheckedOut, ScanAction::AlreadyComplete][k / tokens.len()];
        if outcome.action != expected {
            return Err(CoreError::Internal(format!("scan {n}: {:?} instead of {expected:?}", outcome.action)));
        }
    }
    let name = format!("presence scan (verify + record), {} cast", tokens.len());
    let mut measures = vec![measure(&name, Stats::of(samples), Some(10.0))];
    let mut samples = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        t.day_attendance(&project.id, &project.start_date)?;
        samples.push(elapsed_ms(start));
    }
    // What the presence screen reloads after a correction or a bulk check; no product target, 100 ms feels instant.
    let name = format!("presence, a day's attendance of {} (derived)", tokens.len());
    measures.push(measure(&name, Stats::of(samples), Some(100.0)));
    Ok(measures)
}

fn measure(name: &str, stats: Stats, target_ms: Option<f64>) -> Measure {
    let ok = target_ms.is_none_or(|t| stats.p95_ms <= t);
    Measure { name: name.to_owned(), stats, target_ms, ok }
}

fn keys(t: &mut Talento, sql: &str) -> CoreResult<Vec<String>> {
    let unlocked = t.unlocked.as_ref().ok_or(CoreError::NotAuthenticated)?;
    let mut stmt = unlocked.store.conn().prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn pairs(t: &mut Talento, sql: &str) -> CoreResult<Vec<(String, String)>> {
    let unlocked = t.unlocked.as_ref().ok_or(CoreError::NotAuthenticated)?;
    let mut stmt = unlocked.store.conn().prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A photo-like image: smooth gradients plus noise, so the codecs work as hard as on a real portrait.
fn synthetic_jpeg_base64(width: u32, height: u32, rng: &mut Rng) -> CoreResult<String> {
    use base64::Engine;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let noise = (rng.next() % 24) as u32;
            pixels.extend([
                ((x * 255 / width) + noise).min(255) as u8,
                ((y * 255 / height) + noise).min(255) as u8,
                (90 + noise) as u8,
            ]);
        }
    }
    let jpeg = talento_documents::photo::encode_rgb_jpeg(width, height, &pixels)
        .map_err(|e| CoreError::Internal(format!("synthetic photo: {e}")))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(jpeg))
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
