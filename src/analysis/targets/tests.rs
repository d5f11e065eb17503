//! Unit tests of target detection: one compact line per figure,
//! `'statement' indicator kind period direction value unit bound [baseline]`.

use super::*;
use crate::analysis::Analysis;
use std::sync::Arc;

fn render(text: &str) -> String {
    let a = Analysis::new(text);
    let mut out = String::new();
    for t in a.targets() {
        out.push_str(&render_one(text, t));
        out.push('\n');
    }
    out
}

fn render_one(text: &str, t: &Target) -> String {
    let mut s = format!(
        "'{}' {} {} {} {} {}{} {}",
        &text[t.statement()],
        t.indicator,
        t.kind.id(),
        t.period.map_or("-".to_string(), |p| p.label()),
        t.direction.id(),
        t.value_label(),
        t.unit,
        t.bound.id()
    );
    if let Some(b) = &t.baseline {
        s.push_str(&format!(" [base {}]", b.text));
    }
    s
}

fn check(text: &str, expected: &str) {
    let got = render(text);
    assert_eq!(got.trim_end(), expected.trim(), "\n--- got ---\n{got}");
}

const HEAD: &str = "2017年政府工作报告\n——2017年1月14日在北京市第十四届人民代表大会第五次会议上\n各位代表：\n一、2016年工作回顾\n初步预计，全市地区生产总值增长6.7%左右。\n二、2017年主要任务\n";

#[test]
fn goal_sentence_with_bounds_and_units() {
    let text = format!("{HEAD}全市经济社会发展的主要预期目标是：地区生产总值增长6.5%左右;一般公共预算收入增长6.5%;居民消费价格涨幅控制在3.5%左右;城镇登记失业率控制在3%以内;城乡居民人均可支配收入增长与经济增长同步;细颗粒物年均浓度力争控制在每立方米60微克左右。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'地区生产总值增长6.5%左右' 地区生产总值 target 2017年 increase 6.5% about
'一般公共预算收入增长6.5%' 一般公共预算收入 target 2017年 increase 6.5% exact
'居民消费价格涨幅控制在3.5%左右' 居民消费价格涨幅 target 2017年 keep 3.5% about
'城镇登记失业率控制在3%以内' 城镇登记失业率 target 2017年 keep 3% at-most
'细颗粒物年均浓度力争控制在每立方米60微克左右' 细颗粒物年均浓度 target 2017年 keep 60微克/立方米 about
",
    );
}

#[test]
fn respectively_lists_and_baselines() {
    let text = format!("{HEAD}能耗、水耗和二氧化碳排放分别下降4%以上、3%左右和5%左右。单位地区生产总值能耗较2015年下降17%，万元地区生产总值能耗、二氧化碳排放分别下降3.5%、4%。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'能耗、水耗和二氧化碳排放分别下降4%以上' 能耗 target 2017年 decrease 4% at-least
'水耗和二氧化碳排放分别下降4%以上、3%左右' 水耗 target 2017年 decrease 3% about
'二氧化碳排放分别下降4%以上、3%左右和5%左右' 二氧化碳排放 target 2017年 decrease 5% about
'单位地区生产总值能耗较2015年下降17%' 单位地区生产总值能耗 target 2017年 decrease 17% exact [base 2015年]
'万元地区生产总值能耗、二氧化碳排放分别下降3.5%' 单位地区生产总值能耗 target 2017年 decrease 3.5% exact
'二氧化碳排放分别下降3.5%、4%' 单位地区生产总值二氧化碳排放 target 2017年 decrease 4% exact
",
    );
}

#[test]
fn ranges_full_width_and_multipliers() {
    let text = format!("{HEAD}地区生产总值增长６．５％－７％，固定资产投资增长7%—7.5%，新建学校2到4个，新增就业60万人以上，社会消费品零售总额达到1.2万亿元，进出口总额增长6－6.5％。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'地区生产总值增长６．５％－７％' 地区生产总值 target 2017年 increase 6.5–7% range
'固定资产投资增长7%—7.5%' 固定资产投资 target 2017年 increase 7–7.5% range
'新建学校2到4个' 新建学校 target 2017年 level 2–4个 range
'新增就业60万人以上' 城镇新增就业 target 2017年 level 60万人 at-least
'社会消费品零售总额达到1.2万亿元' 社会消费品零售总额 target 2017年 reach 1.2万亿元 exact
'进出口总额增长6－6.5％' 进出口总额 target 2017年 increase 6–6.5% range
",
    );
}

#[test]
fn prefix_bounds_and_inherited_indicators() {
    let text = format!("{HEAD}城镇调查失业率低于5%，出口额年均增长超过 10%。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'城镇调查失业率低于5%' 城镇调查失业率 target 2017年 level 5% below
'出口额年均增长超过 10%' 出口额 target 2017年 increase 10% above
",
    );
    let text = "一、五年工作回顾\n2016年,地区生产总值预计达到4942亿元,同比增长6.5%,五年增加1670亿元,年均增长7.9%。\n";
    check(
        text,
        "
'地区生产总值预计达到4942亿元' 地区生产总值 result 2016年 reach 4942亿元 exact
'同比增长6.5%' 地区生产总值 result 2016年 increase 6.5% exact
'增加1670亿元' 地区生产总值 result 2016年 increase 1670亿元 exact
'年均增长7.9%' 地区生产总值 result 2016年 increase 7.9% exact
",
    );
}

#[test]
fn numbers_that_are_not_targets() {
    let text = "2017年政府工作报告\n——2017年1月14日在北京市第十四届人民代表大会第五次会议上\n二、2017年主要任务\n根据京政发〔2017〕12号文件，咨询电话010-12345678，落实“十三五”规划，PM2.5浓度下降，实施中关村24条先行先试改革政策，建成10个园区，第3次会议，2020年完成。\n";
    check(text, "");
}

#[test]
fn unitless_figures_need_a_direction() {
    let text = format!("{HEAD}城乡差距缩小到3∶1左右，基尼系数降至0.4左右，编号12。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'城乡差距缩小到3∶1左右' 城乡差距 target 2017年 reach 3∶1 about
'基尼系数降至0.4左右' 基尼系数 target 2017年 reach 0.4 about
",
    );
}

#[test]
fn plan_goals_and_plan_results() {
    let text = "北京市国民经济和社会发展第十三个五年规划纲要\n第一篇　总体\n第一章　站在历史新起点\n　　地区生产总值年均增长7.5%，服务业比重由2010年的75.5%提高到80%左右。\n第三章　目标\n　　二、主要目标\n　　地区生产总值年均增长6.5%，服务业增加值占地区生产总值比重高于80%。\n";
    check(
        text,
        "
'地区生产总值年均增长7.5%' 地区生产总值 result 2011—2015年 increase 7.5% exact
'服务业比重由2010年的75.5%提高到80%左右' 服务业比重 result 2011—2015年 reach 80% about [base 2010年的75.5%]
'地区生产总值年均增长6.5%' 地区生产总值 plan 2016—2020年 increase 6.5% exact
'服务业增加值占地区生产总值比重高于80%' 服务业增加值占地区生产总值比重 plan 2016—2020年 level 80% above
",
    );
}

#[test]
fn all_members_share_one_figure_and_city_rural_split() {
    let text = format!("{HEAD}社会消费品零售总额和固定资产投资均增长18%，城乡居民人均可支配收入分别增长8%和9%，实际利用外资和海外投资分别保持在100亿美元、50亿美元以上。\n");
    check(
        &text,
        "
'全市地区生产总值增长6.7%左右' 地区生产总值 result 2016年 increase 6.7% about
'社会消费品零售总额和固定资产投资均增长18%' 社会消费品零售总额 target 2017年 increase 18% exact
'固定资产投资均增长18%' 固定资产投资 target 2017年 increase 18% exact
'城乡居民人均可支配收入分别增长8%' 城镇居民人均可支配收入 target 2017年 increase 8% exact
'城乡居民人均可支配收入分别增长8%和9%' 农村居民人均可支配收入 target 2017年 increase 9% exact
'实际利用外资和海外投资分别保持在100亿美元' 实际利用外资 target 2017年 keep 100亿美元 at-least
'海外投资分别保持在100亿美元、50亿美元以上' 海外投资 target 2017年 keep 50亿美元 at-least
",
    );
}

#[test]
fn pdf_line_breaks_and_spaces_inside_figures() {
    let text = "2023 年政府工作报告\n二、2023 年重点任务\n今年主要预期目标是：地区生产总值增长4.5%以上，一般公共预算收入增\n\n长 4 %左右。\n";
    check(
        text,
        "
'地区生产总值增长4.5%以上' 地区生产总值 target 2023年 increase 4.5% at-least
'一般公共预算收入增\n\n长 4 %左右' 一般公共预算收入 target 2023年 increase 4% about
",
    );
}

#[test]
fn at_offset_finds_figure_and_indicator() {
    let text = format!("{HEAD}地区生产总值增长6.5%左右，城镇调查失业率低于5%。\n");
    let a = Analysis::new(&text);
    let ts = a.targets();
    let fig = text.find("6.5%").unwrap_or(0);
    assert_eq!(at_offset(ts, fig), vec![1]);
    let ind = text.find("城镇调查").unwrap_or(0);
    assert_eq!(at_offset(ts, ind), vec![2]);
    assert!(at_offset(ts, text.find("各位").unwrap_or(0)).is_empty());
}

/// The targets of `text` analysed with `memo` equal those of a fresh analysis.
fn same_with_memo(text: &str, memo: &Arc<ScanMemo>) {
    let fresh = Analysis::new(text);
    let memoised = Analysis::new(text).with_scan_memo(memo.clone());
    assert_eq!(memoised.targets(), fresh.targets());
}

#[test]
fn memoised_scans_equal_fresh_ones_across_edits() {
    let text = include_str!("../../../tests/fixtures/corpus/beijing-2020-report.txt");
    let memo = Arc::new(ScanMemo::default());
    same_with_memo(text, &memo);
    let held = memo.len();
    assert!(held > 20, "{held}");
    // Unchanged paragraphs are reused (nothing new is held) wherever they move: blank lines
    // inserted at the top shift every range, CRLF changes every paragraph.
    same_with_memo(&format!("\n\n{text}"), &memo);
    assert_eq!(memo.len(), held);
    // An edited figure is a new paragraph; the old one stays valid for an undo.
    let edited = text.replacen("6%", "7.5%", 1);
    assert_ne!(edited, text);
    same_with_memo(&edited, &memo);
    assert_eq!(memo.len(), held + 1);
    same_with_memo(&text.replace('\n', "\r\n"), &memo);
    same_with_memo(text, &memo);
    // Paragraphs that share their text at different places of one document.
    let twice = format!("{text}\n{text}");
    same_with_memo(&twice, &memo);
}

#[test]
fn a_memoised_paragraph_elsewhere_is_classified_by_its_own_sentence() {
    // Without sections, keywords of the sentence decide: a range left at the paragraph's old
    // place would read `力争…` (a target) instead of `同比` (a result).
    let memo = Arc::new(ScanMemo::default());
    let first = "工作报告\n\n地区生产总值同比增长5%。\n";
    let moved = "工作报告\n\n力争全面完成年度计划的各项安排。\n\n地区生产总值同比增长5%。\n";
    same_with_memo(first, &memo);
    same_with_memo(moved, &memo);
    let kinds = |t: &str| {
        let a = Analysis::new(t).with_scan_memo(memo.clone());
        a.targets().iter().map(|t| t.kind).collect::<Vec<_>>()
    };
    assert_eq!(kinds(moved), vec![Kind::Result]);
}

#[test]
fn a_full_memo_is_emptied_and_stays_correct() {
    let text = include_str!("../../../tests/fixtures/corpus/beijing-2023-report-from-pdf.txt");
    let memo = Arc::new(ScanMemo::with_max_bytes(2_000));
    same_with_memo(text, &memo);
    let mut kept = 0;
    for p in 0..3 {
        same_with_memo(&text.replacen('。', &"。".repeat(p + 2), 1), &memo);
        kept = kept.max(memo.len());
    }
    assert!(kept > 0 && kept < 60, "{kept}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any text: no panic, ranges on char boundaries, in order, inside the text.
        #[test]
        fn never_panics_and_ranges_are_valid(s in "[0-9０-９.．%％、和分别增长下降左右以上以内万亿元个人年月日第，。；：—\\-～地区生产总值 \u{3000}\n]{0,80}") {
            let a = Analysis::new(&s);
            let ts = a.targets();
            let mut last = 0;
            for t in ts {
                prop_assert!(t.range.start <= t.range.end && t.range.end <= s.len());
                prop_assert!(s.is_char_boundary(t.range.start) && s.is_char_boundary(t.range.end));
                prop_assert!(s.is_char_boundary(t.indicator_range.start) && s.is_char_boundary(t.indicator_range.end));
                prop_assert!(t.range.start >= last);
                last = t.range.start;
                prop_assert!(t.value.is_finite());
            }
        }

        /// Texts analysed one after another with one memo give what fresh analyses give.
        #[test]
        fn a_memo_never_changes_the_targets(
            a in "[0-9.%、和增长下降左右以上万亿元个人年第，。；：地区生产总值 \r\n]{0,60}",
            b in "[0-9.%、和增长下降左右以上万亿元个人年第，。；：地区生产总值 \r\n]{0,60}",
        ) {
            let memo = Arc::new(ScanMemo::default());
            for text in [a.clone(), b.clone(), format!("{a}\n{b}"), format!("{b}{a}"), a] {
                same_with_memo(&text, &memo);
            }
        }
    }
}
