//! Settings: one schema for `initializationOptions`, `workspace/configuration` (section
//! `reportLsp`) and the `report-lsp.toml` file, parsed in exactly this place into a typed
//! [`Config`] plus human-readable warnings (never a failure).
//!
//! Layers, later ones winning key by key: built-in defaults, `report-lsp.toml` at the workspace
//! root, then the client's settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::analysis::finding::{Language, Severity};
use crate::analysis::rules::{find_rule, registry, RuleSettings};
use crate::analysis::targets::Synonyms;

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
}

impl Default for Config {
    fn default() -> Config {
        Config {
            language: Language::Zh,
            diagnostics_delay_ms: DEFAULT_DELAY_MS,
            rules: RuleSettings::default(),
            target_synonyms: BTreeMap::new(),
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
            k if k.starts_with("rules.") => {
                let code = &k["rules.".len()..];
                if find_rule(code).is_none() {
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

/// Reads `report-lsp.toml` in `dir`, if present. I/O lives here so both shells share it.
pub fn read_config_file(path: &Path) -> Option<(ConfigPatch, Vec<String>)> {
    let bytes = std::fs::read(path).ok()?;
    Some(match String::from_utf8(bytes) {
        Ok(text) => parse_toml(&text),
        Err(_) => (
            ConfigPatch::default(),
            vec![format!("{}: not valid UTF-8", path.display())],
        ),
    })
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
    for r in registry() {
        let m = r.meta();
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
        for r in registry() {
            assert!(s["reportLsp.rules"]["properties"][r.meta().code].is_object());
        }
    }
}
