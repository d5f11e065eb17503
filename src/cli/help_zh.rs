//! The command line's help in Chinese, and which language it is shown in.
//!
//! clap's derive writes the English help from the doc comments; for Chinese the built command is
//! rewritten from the tables below (by subcommand and argument id). Anything not in the tables
//! (a subcommand added later) keeps its English text.

use clap::Command;

use crate::analysis::finding::Language;

/// The language of the help and of the CLI's own lines (the summary): `--lang` on the command
/// line, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: a `zh…` locale is Chinese, another
/// named language English), else Chinese, the default of the diagnostics too. `C`/`POSIX` name
/// no language.
pub fn language_of(args: &[String], env: impl Fn(&str) -> Option<String>) -> Language {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang=") {
            Some(v) => Some(v.to_string()),
            None if a == "--lang" => it.next().cloned(),
            None => None,
        };
        match value.as_deref() {
            Some("en") => return Language::En,
            Some("zh") => return Language::Zh,
            _ => {}
        }
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        let Some(v) = env(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let lang = v.split(['_', '.', '@', '-']).next().unwrap_or("");
        return match lang {
            "zh" => Language::Zh,
            "C" | "POSIX" | "" => Language::Zh,
            _ => Language::En,
        };
    }
    Language::Zh
}

const ABOUT: &str = "政府工作报告、规划纲要等纯文本公文的语言服务器与检查工具。";
const LONG_ABOUT: &str = "政府工作报告、规划纲要等纯文本（.txt）公文的语言服务器与检查工具。\n\n\
     不带命令或使用 `serve` 时，通过标准输入输出提供语言服务器协议（LSP）服务。";

/// (subcommand, about).
const SUBCOMMANDS: &[(&str, &str)] = &[
    ("serve", "通过标准输入输出提供语言服务器协议（LSP）服务（默认）"),
    ("check", "检查报告文件并列出发现的问题"),
    (
        "fix",
        "应用全部安全修复：在原文件旁写出 FILE.fixed.txt，或用 --write 原地改写（原文件备份为 FILE.bak）",
    ),
    ("outline", "列出报告文件的提纲（章节树）"),
    ("targets", "列出报告文件中的全部量化目标、完成情况和规划指标"),
    ("duplicates", "在文件夹或文件之间查找重复段落（完全重复和近似重复）"),
    (
        "settings-schema",
        "输出设置项的结构说明（VS Code `contributes.configuration.properties` 格式）",
    ),
    ("help", "显示本帮助或指定命令的帮助"),
];

/// (subcommand or "" for any, argument id, help).
const ARGS: &[(&str, &str, &str)] = &[
    ("check", "format", "输出格式：human（逐行）、json 或 sarif（SARIF 2.1.0，供代码评审工具和 CI 使用）"),
    ("check", "fail_on", "存在该级别或更高级别的问题时以状态码 1 退出"),
    (
        "check",
        "files",
        "报告文件（UTF-8、带 BOM 的 UTF-8、带 BOM 的 UTF-16 或 GB18030）或文件夹（其中符合 workspace.include/exclude 的文件，遵守 .gitignore）。在这些文件内部和相互之间查找重复段落",
    ),
    (
        "fix",
        "write",
        "原地改写每个文件；先把原文件复制为 FILE.bak（已存在时为 FILE.bak.1 等），备份写不成的文件不作改动",
    ),
    ("fix", "stdout", "把（单个）文件修复后的文本输出到标准输出，不写任何文件"),
    (
        "fix",
        "files",
        "报告文件（UTF-8、带 BOM 的 UTF-8、带 BOM 的 UTF-16 或 GB18030），按原编码写回",
    ),
    ("duplicates", "format", "输出格式：human（逐行）或 json"),
    ("duplicates", "paths", "要比较的文件夹（或文件）"),
    ("outline", "format", "输出格式：tree（树形）或 json"),
    ("outline", "files", "报告文件"),
    (
        "targets",
        "format",
        "输出格式：table（对齐的表格，带表头）、csv（首行为表头）或 json（`{\"version\":1,\"targets\":[…]}`）",
    ),
    (
        "targets",
        "stdin_path",
        "`-`（标准输入）所代表的文件：输出时显示为该路径，并在其所在文件夹查找设置文件。编辑器用它传入未保存的内容",
    ),
    ("targets", "files", "报告文件；`-` 表示从标准输入读取一份"),
    ("", "config", "设置文件；默认使用每个文件上方最近的 report-lsp.toml"),
    ("", "lang", "消息语言（优先于设置文件）：zh 中文（默认）或 en 英文"),
    ("", "help", "显示帮助（-h 显示摘要）"),
    ("", "version", "显示版本"),
];

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

fn localise_one(mut cmd: Command, sub: &str) -> Command {
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .next_help_heading("选项");
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let help = ARGS
            .iter()
            .find(|(s, a, _)| (*s == sub || s.is_empty()) && *a == id)
            .map(|(_, _, h)| *h);
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = a.help_heading(if positional { "参数" } else { "选项" });
            match help {
                Some(h) => a.help(h).long_help(None),
                None => a,
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name.as_str(), |s| {
            let s = match SUBCOMMANDS.iter().find(|(n, _)| *n == name) {
                Some((_, about)) => s.about(*about).long_about(None),
                None => s,
            };
            localise_one(s, &name)
        });
    }
    cmd
}

/// The command with its help in Chinese.
pub fn localise(cmd: Command) -> Command {
    // The automatic --help/--version and `help` subcommand exist only once built.
    let mut cmd = cmd.about(ABOUT).long_about(LONG_ABOUT);
    cmd.build();
    localise_one(cmd, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(args: &[&str], env: &[(&str, &str)]) -> Language {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        language_of(&args, |k| {
            env.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn lang_flag_then_locale_then_chinese() {
        assert_eq!(lang(&["r", "--help"], &[]), Language::Zh);
        assert_eq!(
            lang(&["r", "check", "--lang", "en", "--help"], &[]),
            Language::En
        );
        assert_eq!(
            lang(&["r", "--lang=zh"], &[("LANG", "en_US.UTF-8")]),
            Language::Zh
        );
        assert_eq!(lang(&["r"], &[("LANG", "en_US.UTF-8")]), Language::En);
        assert_eq!(lang(&["r"], &[("LANG", "zh_CN.UTF-8")]), Language::Zh);
        assert_eq!(lang(&["r"], &[("LANG", "C.UTF-8")]), Language::Zh);
        // LC_ALL wins over LANG.
        assert_eq!(
            lang(&["r"], &[("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_GB")]),
            Language::Zh
        );
    }
}
