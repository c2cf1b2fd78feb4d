use gateway_core::prelude::*;

#[derive(Serialize)]
struct SearchResult {
    hits: u32,
}

#[derive(Default)]
struct Search;

#[gateway(namespace = "/search")]
impl Search {
    #[subscribe("search")]
    async fn search(&self) -> SearchResult {
        SearchResult { hits: 3 }
    }
}

fn main() {}
