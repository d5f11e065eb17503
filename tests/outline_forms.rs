//! The outline on the forms real reports take (issue 11): glossaries, numbered task lists,
//! page-break fragments, appendix markers, old forms. Each fixture is a short real excerpt, see
//! tests/fixtures/outline/README.md.

use report_lsp::analysis::outline::{Outline, SectionKind};
use report_lsp::analysis::Analysis;

/// The outline as an indented tree: `name [family|item|title] L<first line>`.
fn render(file: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/outline/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let analysis = Analysis::new(&text);
    let mut out = String::new();
    walk(&analysis.outline, &analysis.outline.roots, &mut out);
    out
}

fn walk(o: &Outline, ids: &[usize], out: &mut String) {
    for &i in ids {
        let s = &o.sections[i];
        let kind = match (s.kind, s.family) {
            (SectionKind::Title, _) => "title".to_string(),
            (SectionKind::ListItem, _) => "item".to_string(),
            (_, Some(f)) => f.id().to_string(),
            _ => "?".to_string(),
        };
        let name: String = s.name.chars().take(16).collect();
        out.push_str(&format!(
            "{}{name} [{kind}] L{}\n",
            "  ".repeat(s.depth),
            s.first_line + 1
        ));
        walk(o, &s.children, out);
    }
}

/// The lines of `render` that hold `[kind]`.
fn count(tree: &str, kind: &str) -> usize {
    tree.lines().filter(|l| l.contains(kind)).count()
}

#[test]
fn glossary_and_task_list_appendices_hold_list_items() {
    let got = render("appendix-task-list-and-glossary.txt");
    // The body's last chapter ends before the appendices.
    assert!(got.contains("\n  （四）强化作风转变，树牢廉洁勤政 [cn-paren] L11\n附件1 [title] L15\n  民生实事 [unnumbered] L17\n    1.开工建设滨州黄河四桥 [item] L19\n"), "{got}");
    // `10.…需求` ends without punctuation: `附件2` below it is a marker, not the rest of a line.
    assert!(got.contains("\n    10.实施集中供热增容工程 [item] L37\n附件2 [title] L39\n  名词解释 [unnumbered] L41\n    1.省委 [item] L43\n"), "{got}");
    assert_eq!(count(&got, "[item]"), 20, "{got}");
    assert_eq!(count(&got, "[arabic-dot]"), 0, "{got}");
}

#[test]
fn glossary_heading_with_a_colon_is_a_part_of_its_own() {
    let got = render("glossary-colon-heading.txt");
    assert_eq!(
        got,
        "八、进一步加强作风建设，塑造高效 [cn-comma] L1\n名词注解 [title] L11\n"
    );
}

#[test]
fn glossary_and_appendix_with_a_long_title_and_parts() {
    let got = render("appendix-titled-parts.txt");
    assert!(
        got.contains("\n名词解释 [title] L15\n  1、“四化两型” [item] L17\n"),
        "{got}"
    );
    assert!(got.contains("\n  26、“三调联动” [item] L67\n附件： [title] L69\n  十大工业项目、十大农业产业化项目 [unnumbered] L71\n    一、十大工业项目 [cn-comma] L73\n      1、加快推进中国动力谷建设 [item] L75\n"), "{got}");
    assert!(got.contains("\n    二、十大农业产业化项目 [cn-comma] L95\n      1、推进生猪产业一体化项目 [item] L97\n"), "{got}");
    assert_eq!(count(&got, "[item]"), 46, "{got}");
}

#[test]
fn plan_outline_hard_wrapped_with_goals_as_items() {
    let got = render("plan-1981-wrapped-goals.txt");
    // No heading from a line at the wrap width; 编 is a volume above 章; the goals are items.
    assert!(got.starts_with("中华人民共和国国民经济和社会发展 [title] L1\n  序言 [unnumbered] L5\n  第一编 基本任务和综合指标 [pian] L33\n    第一章 基本任务 [zhang] L35\n      一、工农业生产 [item] L43\n"), "{got}");
    assert_eq!(count(&got, "[item]"), 10, "{got}");
    assert_eq!(count(&got, "[unnumbered]"), 1, "{got}");
}

#[test]
fn announced_points_and_glossary_shaped_runs_are_items() {
    let got = render("plan-1953-announced-measures.txt");
    assert!(
        got.starts_with("（四）煤矿工业 [cn-paren] L1\n  一、在东北各省 [item] L13\n"),
        "{got}"
    );
    assert!(
        got.contains("\n  （7）降低煤炭的灰分 [item] L49\n（五）石油工业 [cn-paren] L51\n"),
        "{got}"
    );
    assert_eq!(count(&got, "[item]"), 14, "{got}");
}

#[test]
fn heading_with_a_lost_bracket_is_a_sibling() {
    let got = render("lost-bracket.txt");
    assert_eq!(got, "（四）抓实重点环节，争取服务业发 [cn-paren] L6\n五)注重统筹兼顾，全面推进城镇化 [cn-paren] L18\n");
}

#[test]
fn page_break_fragment_is_no_heading() {
    let got = render("page-break-fragment.txt");
    assert_eq!(
        got,
        "一、2021年工作安排 [cn-comma] L1\n  （一）保持宏观政策连续性稳定性可 [cn-paren] L9\n"
    );
}

#[test]
fn spaced_and_titled_appendix_markers() {
    let got = render("appendix-forms.txt");
    assert_eq!(
        got,
        "（十）加强政府自身建设 [cn-paren] L1\n附 录 [title] L5\n  附录一：《政府工作报告》名词解释 [unnumbered] L7\n    1.“四上”企业 [item] L9\n    2.两项改革 [item] L11\n  附录二：2021年主要经济指标数 [unnumbered] L13\n    （1）地区生产总值增长8%左右 [item] L15\n    （2）一般公共预算收入增长6% [item] L17\n"
    );
}
