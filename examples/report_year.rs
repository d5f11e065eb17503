//! Prints `file<TAB>year<TAB>source` for each report named on the command line (`-` for a year
//! the text does not make clear): the measuring tool of `analysis::report_year`, used by
//! benches/report_year_accuracy.py.

use report_lsp::analysis::report_year::report_year;

fn main() {
    for path in std::env::args().skip(1) {
        let name = std::path::Path::new(&path)
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                match report_year(&text) {
                    Some(y) => println!("{name}\t{}\t{}", y.year, y.source.as_str()),
                    None => println!("{name}\t-\t-"),
                }
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
