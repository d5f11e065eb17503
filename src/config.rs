//! Settings: one schema for `initializationOptions`, `workspace/configuration` (section
//! `reportLsp`) and the `report-lsp.toml` file, parsed in exactly this place into a typed
//! [`Config`] plus human-readable warnings (never a failure).
//!
//! Layers, later ones winning key by key: built-in defaults, `report-lsp.toml` at the workspace
//! root, then the client's settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::analysis::duplicates::{self, parse_fingerprint, DupSettings};
use crate::analysis::finding::{Language, Severity};

use crate::analysis::rules::{all_metas, find_meta, RuleSettings};
use crate::analysis::targets::Synonyms;
use crate::workspace::{WorkspaceSettings, DEFAULT_INCLUDE, DEFAULT_MAX_FILE_SIZE};

pub const CONFIG_FILE_NAME: &str = "report-lsp.toml";
pub const SETTINGS_SECTION: &str = "reportLsp";
pub const DEFAULT_DELAY_MS: u64 = 300;
const MAX_DELAY_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub language: Language,
    /// Debounce before re-analysing an edited document.
    pub diagnostics_delay_ms: u64,
    pub rules: RuleSettings,
    /// `targets.synonyms`: canonical indicator name → names that mean the same indicator,
    /// added to the built-in table (see `analysis::targets::Synonyms`).
    pub target_synonyms: BTreeMap<String, Vec<String>>,
    pub duplicates: DupSettings,
    pub workspace: WorkspaceSettings,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            language: Language::Zh,
            diagnostics_delay_ms: DEFAULT_DELAY_MS,
            rules: RuleSettings::default(),
            target_synonyms: BTreeMap::new(),
            duplicates: DupSettings::default(),
            workspace: WorkspaceSettings::default(),
        }
    }
}

/// One layer of settings: only the keys it sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigPatch {
    pub language: Option<Language>,
    pub diagnostics_delay_ms: Option<u64>,
    pub rules: BTreeMap<String, Option<Severity>>,
    pub target_synonyms: BTreeMap<String, Vec<String>>,
    pub dup_min_chars: Option<usize>,
    pub dup_threshold_permille: Option<u16>,
    pub dup_boilerplate_permille: Option<u16>,
    /// Added to the ignore lists of earlier layers.
    pub dup_ignore: Vec<u64>,
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub max_file_size: Option<u64>,
}

impl Config {
    pub fn apply(&mut self, patch: &ConfigPatch) {
        if let Some(l) = patch.language {
            self.language = l;
        }
        if let Some(d) = patch.diagnostics_delay_ms {
            self.diagnostics_delay_ms = d;
        }
        for (code, sev) in &patch.rules {
            self.rules.overrides.insert(code.clone(), *sev);
        }
        if let Some(v) = patch.dup_min_chars {
            self.duplicates.min_chars = v;
        }
        if let Some(v) = patch.dup_threshold_permille {
            self.duplicates.threshold_permille = v;
        }
        if let Some(v) = patch.dup_boilerplate_permille {
            self.duplicates.boilerplate_permille = v;
        }
        self.duplicates
            .ignore
            .extend(patch.dup_ignore.iter().copied());
        if let Some(v) = &patch.include {
            self.workspace.include = v.clone();
        }
        if let Some(v) = &patch.exclude {
            self.workspace.exclude = v.clone();
        }
        if let Some(v) = patch.max_file_size {
            self.workspace.max_file_size = v;
        }
        for (canonical, names) in &patch.target_synonyms {
            self.target_synonyms
                .insert(canonical.clone(), names.clone());
        }
    }

    /// The indicator synonym table in force: built-in plus `targets.synonyms`.
    pub fn synonyms(&self) -> Synonyms {
        Synonyms::with_user(
            self.target_synonyms
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_slice())),
        )
    }

    /// Defaults, then each layer in order.
    pub fn layered<'a>(patches: impl IntoIterator<Item = &'a ConfigPatch>) -> Config {
        let mut c = Config::default();
        for p in patches {
            c.apply(p);
        }
        c
    }
}

/// Parses a settings object (JSON from the client, or TOML converted to JSON). Accepts the
/// object itself or one wrapped in `{"reportLsp": …}`, nested or dotted keys (`diagnostics.delayMs`).
pub fn parse_settings(value: &Value) -> (ConfigPatch, Vec<String>) {
    let mut patch = ConfigPatch::default();
    let mut warnings = Vec::new();
    let Some(obj) = value.as_object() else {
        if !value.is_null() {
            warnings.push("settings must be an object".to_string());
        }
        return (patch, warnings);
    };
    let obj = match obj.get(SETTINGS_SECTION).and_then(Value::as_object) {
        Some(inner) => inner,
        None => obj,
    };
    let mut flat = Vec::new();
    flatten("", obj, &mut flat);
    for (key, v) in flat {
        match key.as_str() {
            "language" => match v.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("zh") | Some("zh-cn") | Some("zh-hans") => patch.language = Some(Language::Zh),
                Some("en") | Some("en-us") => patch.language = Some(Language::En),
                _ => warnings.push(format!("language: expected \"zh\" or \"en\", got {v}")),
            },
            "diagnostics.delayMs" => match v.as_u64() {
                Some(ms) => patch.diagnostics_delay_ms = Some(ms.min(MAX_DELAY_MS)),
                None => warnings.push(format!(
                    "diagnostics.delayMs: expected a non-negative integer, got {v}"
                )),
            },
            "duplicates.minChars" => match v.as_u64() {
                Some(n) if n >= 1 => patch.dup_min_chars = Some(n.min(100_000) as usize),
                _ => warnings.push(format!(
                    "duplicates.minChars: expected a positive integer, got {v}"
                )),
            },
            "duplicates.threshold" => match v.as_f64() {
                Some(t) if (0.5..=1.0).contains(&t) => {
                    patch.dup_threshold_permille = Some((t * 1000.0).round() as u16)
                }
                _ => warnings.push(format!(
                    "duplicates.threshold: expected a number from 0.5 to 1, got {v}"
                )),
            },
            "duplicates.boilerplateRatio" => match v.as_f64() {
                Some(t) if (0.0..=1.0).contains(&t) => {
                    patch.dup_boilerplate_permille = Some((t * 1000.0).round() as u16)
                }
                _ => warnings.push(format!(
                    "duplicates.boilerplateRatio: expected a number from 0 to 1, got {v}"
                )),
            },
            "duplicates.ignore" => match v.as_array() {
                Some(items) => {
                    for item in items {
                        match item.as_str().and_then(parse_fingerprint) {
                            Some(fp) => patch.dup_ignore.push(fp),
                            None => warnings.push(format!(
                                "duplicates.ignore: expected 16 hex digits, got {item}"
                            )),
                        }
                    }
                }
                None => warnings.push(format!(
                    "duplicates.ignore: expected a list of fingerprints, got {v}"
                )),
            },
            "workspace.include" | "workspace.exclude" => match string_list(v) {
                Some(list) => {
                    if key == "workspace.include" {
                        patch.include = Some(list);
                    } else {
                        patch.exclude = Some(list);
                    }
                }
                None => warnings.push(format!("{key}: expected a list of globs, got {v}")),
            },
            "workspace.maxFileSize" => match v.as_u64() {
                Some(n) if n > 0 => patch.max_file_size = Some(n),
                _ => warnings.push(format!(
                    "workspace.maxFileSize: expected a positive number of bytes, got {v}"
                )),
            },
            k if k.starts_with("rules.") => {
                let code = &k["rules.".len()..];
                if find_meta(code).is_none() {
                    warnings.push(format!("rules.{code}: unknown rule"));
                    continue;
                }
                match parse_rule_level(v) {
                    Some(level) => {
                        patch.rules.insert(code.to_string(), level);
                    }
                    None => warnings.push(format!(
                        "rules.{code}: expected \"off\", \"error\", \"warning\", \"info\" or \"hint\", got {v}"
                    )),
                }
            }
            k if k.starts_with("targets.synonyms.") => {
                let canonical = &k["targets.synonyms.".len()..];
                let names = match v {
                    Value::Array(items) => items
                        .iter()
                        .map(|x| x.as_str().map(str::to_string))
                        .collect::<Option<Vec<String>>>(),
                    Value::String(one) => Some(vec![one.clone()]),
                    _ => None,
                };
                match names {
                    Some(names) if !canonical.trim().is_empty() => {
                        patch.target_synonyms.insert(canonical.to_string(), names);
                    }
                    _ => warnings.push(format!(
                        "targets.synonyms.{canonical}: expected a list of indicator names, got {v}"
                    )),
                }
            }
            "targets.synonyms" => warnings.push(format!(
                "targets.synonyms: expected an object of canonical name -> list of names, got {v}"
            )),
            // Client-side settings of the editor integrations; not the server's business.
            k if k.starts_with("server.") || k == "files" || k.starts_with("trace.") => {}
            other => warnings.push(format!("unknown setting `{other}`")),
        }
    }
    (patch, warnings)
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// `"off"`/`false` → `None`; a severity name → that severity; `{ "severity": … }` too.
fn parse_rule_level(v: &Value) -> Option<Option<Severity>> {
    match v {
        Value::Bool(false) => Some(None),
        Value::String(s) if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("none") => {
            Some(None)
        }
        Value::String(s) => Severity::parse(s).map(Some),
        _ => None,
    }
}

fn flatten<'v>(prefix: &str, obj: &'v Map<String, Value>, out: &mut Vec<(String, &'v Value)>) {
    for (k, v) in obj {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            // `rules.<code>.severity` is accepted as a long form of `rules.<code>`.
            Value::Object(inner) if key.starts_with("rules.") && inner.contains_key("severity") => {
                if let Some(s) = inner.get("severity") {
                    out.push((key, s));
                }
            }
            Value::Object(inner) => flatten(&key, inner, out),
            _ => out.push((key, v)),
        }
    }
}

/// Parses the text of a `report-lsp.toml`.
pub fn parse_toml(text: &str) -> (ConfigPatch, Vec<String>) {
    match text.parse::<toml::Table>() {
        Ok(table) => match serde_json::to_value(table) {
            Ok(v) => parse_settings(&v),
            Err(e) => (
                ConfigPatch::default(),
                vec![format!("{CONFIG_FILE_NAME}: {e}")],
            ),
        },
        Err(e) => (
            ConfigPatch::default(),
            vec![format!("{CONFIG_FILE_NAME}: {}", e.to_string().trim())],
        ),
    }
}

/// The largest settings file read: real ones are a few hundred bytes; `/dev/zero` behind a link
/// must not fill memory.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the text of a settings file: `Ok(None)` when there is none. Regular files only (a FIFO
/// would block the reader until a writer comes, a device may never end), opened without waiting
/// and read up to [`MAX_CONFIG_BYTES`].
pub fn read_config_text(path: &Path) -> Result<Option<String>, String> {
    use std::io::Read;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let check = |m: &std::fs::Metadata| {
        if !m.is_file() {
            Err(err(&"not a regular file, not read"))
        } else if m.len() > MAX_CONFIG_BYTES {
            Err(err(&format_args!(
                "{} bytes, more than the {MAX_CONFIG_BYTES} a settings file may have; not read",
                m.len()
            )))
        } else {
            Ok(())
        }
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(&e)),
        Ok(m) => check(&m)?,
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Replaced by a FIFO since the look above: the open must still not wait for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| err(&e))?;
    check(&file.metadata().map_err(|e| err(&e))?)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(&e))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(err(&"grew past the size limit while read; not read"));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| err(&"not valid UTF-8"))
}

/// Reads and parses a `report-lsp.toml`, if present; a file that cannot be read is a warning.
pub fn read_config_file(path: &Path) -> Option<(ConfigPatch, Vec<String>)> {
    match read_config_text(path) {
        Ok(None) => None,
        Ok(Some(text)) => Some(parse_toml(&text)),
        Err(e) => Some((ConfigPatch::default(), vec![e])),
    }
}

/// The text of a settings file with a passage fingerprint added to `duplicates.ignore`, the rest
/// kept as it is. Pure: the server hands the result to the client as an edit.
pub fn with_ignored_fingerprint(text: &str, fingerprint: &str) -> Result<String, String> {
    if parse_fingerprint(fingerprint).is_none() {
        return Err(format!("not a passage fingerprint: {fingerprint:?}"));
    }
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("{CONFIG_FILE_NAME}: {e}"))?;
    let table = doc
        .entry("duplicates")
        .or_insert_with(toml_edit::table)
        .as_table_like_mut()
        .ok_or_else(|| format!("{CONFIG_FILE_NAME}: `duplicates` is not a table"))?;
    let list = table
        .entry("ignore")
        .or_insert(toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()
        .ok_or_else(|| format!("{CONFIG_FILE_NAME}: `duplicates.ignore` is not a list"))?;
    if !list.iter().any(|v| v.as_str() == Some(fingerprint)) {
        list.push(fingerprint);
    }
    Ok(doc.to_string())
}

/// The nearest `report-lsp.toml` in `start` or one of its ancestors.
pub fn find_config_file(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|p| p.is_file())
}

/// The settings schema in the shape of VS Code's `contributes.configuration.properties`; the
/// editor integration is generated from it and a test keeps docs/configuration.md in sync.
pub fn settings_schema() -> Value {
    let mut rules = Map::new();
    for m in all_metas() {
        rules.insert(
            m.code.to_string(),
            json!({
                "type": "string",
                "enum": ["off", "error", "warning", "info", "hint"],
                "default": m.default_severity.as_str(),
                "description": m.summary_en,
            }),
        );
    }
    json!({
        "reportLsp.language": {
            "type": "string",
            "enum": ["zh", "en"],
            "default": "zh",
            "description": "Language of diagnostic messages, hovers and code action titles (Chinese by default)."
        },
        "reportLsp.diagnostics.delayMs": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_DELAY_MS,
            "default": DEFAULT_DELAY_MS,
            "description": "Milliseconds to wait after an edit before re-analysing the document."
        },
        "reportLsp.targets.synonyms": {
            "type": "object",
            "default": {},
            "additionalProperties": { "type": "array", "items": { "type": "string" } },
            "description": "Indicator synonyms for targets: canonical name -> names meaning the same indicator (added to the built-in table), e.g. {\"地区生产总值\": [\"经济总量\"]}."
        },
        "reportLsp.duplicates.minChars": {
            "type": "integer",
            "minimum": 1,
            "default": duplicates::DEFAULT_MIN_CHARS,
            "description": "Passages shorter than this many characters (counted as shown: list number included, blanks left out) are never flagged as duplicates, so salutations and short headings that legitimately repeat stay quiet."
        },
        "reportLsp.duplicates.threshold": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 1,
            "default": f64::from(duplicates::DEFAULT_THRESHOLD_PERMILLE) / 1000.0,
            "description": "Similarity (longest common subsequence over the longer passage) at or above which two passages are near duplicates."
        },
        "reportLsp.duplicates.boilerplateRatio": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": f64::from(duplicates::DEFAULT_BOILERPLATE_PERMILLE) / 1000.0,
            "description": "A passage found in at least this share of the workspace's files (six or more) is boilerplate and not flagged; 0 switches this off."
        },
        "reportLsp.duplicates.ignore": {
            "type": "array",
            "items": { "type": "string", "pattern": "^[0-9a-f]{16}$" },
            "default": [],
            "description": "Fingerprints of passages marked as intended repeats (the quick fix adds them to report-lsp.toml)."
        },
        "reportLsp.workspace.include": {
            "type": "array",
            "items": { "type": "string" },
            "default": [DEFAULT_INCLUDE],
            "description": "Globs (relative to a workspace folder) of the report files indexed for cross-file checks; .gitignore is honoured."
        },
        "reportLsp.workspace.exclude": {
            "type": "array",
            "items": { "type": "string" },
            "default": [],
            "description": "Globs of files left out of the workspace index."
        },
        "reportLsp.workspace.maxFileSize": {
            "type": "integer",
            "minimum": 1,
            "default": DEFAULT_MAX_FILE_SIZE,
            "description": "Files larger than this many bytes are not indexed (a notice is logged)."
        },
        "reportLsp.rules": {
            "type": "object",
            "default": {},
            "properties": Value::Object(rules),
            "additionalProperties": false,
            "description": "Per-rule level: \"off\" switches a rule off, a severity re-grades its findings."
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_dotted_and_wrapped_forms() {
        let (p, w) = parse_settings(&json!({
            "language": "en",
            "diagnostics": { "delayMs": 0 },
            "rules": { "heading-numbering": "off" }
        }));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.language, Some(Language::En));
        assert_eq!(p.diagnostics_delay_ms, Some(0));
        assert_eq!(p.rules.get("heading-numbering"), Some(&None));

        let (p2, w) = parse_settings(&json!({ "reportLsp": {
            "language": "en", "diagnostics.delayMs": 0, "rules.heading-numbering": "off"
        }}));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p, p2);
    }

    #[test]
    fn bad_values_become_warnings_not_failures() {
        let (p, w) = parse_settings(&json!({
            "language": "fr",
            "diagnostics": { "delayMs": -5 },
            "rules": { "no-such-rule": "error", "heading-numbering": "loud" },
            "colour": "blue"
        }));
        assert_eq!(p, ConfigPatch::default());
        assert_eq!(w.len(), 5, "{w:?}");
        let (_, w) = parse_settings(&json!([1, 2]));
        assert_eq!(w, vec!["settings must be an object".to_string()]);
    }

    #[test]
    fn toml_file_uses_the_same_schema_and_client_wins() {
        let (file, w) = parse_toml(
            "language = \"en\"\n[diagnostics]\ndelayMs = 50\n[rules]\nheading-numbering = \"error\"\n",
        );
        assert!(w.is_empty(), "{w:?}");
        let (client, _) = parse_settings(&json!({ "diagnostics": { "delayMs": 10 } }));
        let c = Config::layered([&file, &client]);
        assert_eq!(c.language, Language::En);
        assert_eq!(c.diagnostics_delay_ms, 10);
        assert_eq!(
            c.rules.overrides.get("heading-numbering"),
            Some(&Some(Severity::Error))
        );
        let (_, w) = parse_toml("language = ");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn target_synonyms_from_json_and_toml() {
        let (p, w) = parse_settings(&json!({
            "targets": { "synonyms": { "地区生产总值": ["经济增速", "GDP总量"], "失业率": "登记失业率" } }
        }));
        assert!(w.is_empty(), "{w:?}");
        let c = Config::layered([&p]);
        assert_eq!(c.synonyms().normalize("经济增速"), "地区生产总值");
        assert_eq!(c.synonyms().normalize("登记失业率"), "失业率");
        let (p2, w) = parse_toml("[targets.synonyms]\n\"地区生产总值\" = [\"经济增速\"]\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            p2.target_synonyms.get("地区生产总值").map(Vec::len),
            Some(1)
        );
        let (_, w) = parse_settings(&json!({ "targets": { "synonyms": { "a": 3 } } }));
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn schema_lists_every_rule() {
        let s = settings_schema();
        for m in all_metas() {
            assert!(s["reportLsp.rules"]["properties"][m.code].is_object());
        }
    }

    #[test]
    fn ignoring_a_passage_keeps_the_rest_of_the_settings_file() {
        let mut text = "# our settings\nlanguage = \"zh\"\n".to_string();
        for fp in ["00000000000000ff", "00000000000000ff", "0000000000000001"] {
            text = with_ignored_fingerprint(&text, fp).unwrap();
        }
        assert!(text.starts_with("# our settings\n"), "{text}");
        let (p, w) = parse_toml(&text);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.dup_ignore, vec![255, 1]);
        assert!(with_ignored_fingerprint(&text, "zz").is_err());
        assert!(with_ignored_fingerprint("duplicates = 1\n", "0000000000000001").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn settings_files_are_read_only_when_regular_and_small() {
        let dir = std::env::temp_dir().join(format!("report-lsp-cfgread-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(CONFIG_FILE_NAME);
        assert_eq!(read_config_text(&path), Ok(None));
        // A link to /dev/zero: refused at once, not read until memory runs out.
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let e = read_config_text(&path).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, vec![b'#'; MAX_CONFIG_BYTES as usize + 1]).unwrap();
        let e = read_config_text(&path).unwrap_err();
        assert!(e.contains("more than"), "{e}");
        std::fs::write(&path, "language = \"en\"\n").unwrap();
        let (p, w) = read_config_file(&path).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.language, Some(Language::En));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn duplicate_and_workspace_settings() {
        let (file, w) = parse_toml(
            "[duplicates]\nminChars = 30\nthreshold = 0.9\nignore = [\"00000000000000ff\"]\n[workspace]\ninclude = [\"**/*.md\"]\nmaxFileSize = 1000\n[rules]\nduplicate-passage = \"off\"\n",
        );
        assert!(w.is_empty(), "{w:?}");
        let (client, w) = parse_settings(
            &json!({ "duplicates": { "ignore": ["0000000000000001"], "boilerplateRatio": 0 } }),
        );
        assert!(w.is_empty(), "{w:?}");
        let c = Config::layered([&file, &client]);
        assert_eq!(c.duplicates.min_chars, 30);
        assert_eq!(c.duplicates.threshold_permille, 900);
        assert_eq!(c.duplicates.boilerplate_permille, 0);
        assert_eq!(
            c.duplicates.ignore.iter().copied().collect::<Vec<_>>(),
            vec![1, 255]
        );
        assert_eq!(c.workspace.include, vec!["**/*.md".to_string()]);
        assert_eq!(c.workspace.max_file_size, 1000);
        assert_eq!(c.rules.overrides.get("duplicate-passage"), Some(&None));
        let (_, w) = parse_settings(
            &json!({ "duplicates": { "threshold": 2, "ignore": ["xyz"], "minChars": 0 }, "workspace": { "include": 3 } }),
        );
        assert_eq!(w.len(), 4, "{w:?}");
    }
}
