use std::time::Instant;
#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let p = sqlx::PgPool::connect(&url).await.unwrap();
    let w = "FROM clock_months WHERE force_id='f0c1e2d3-0000-4000-8000-000000000001' AND month >= '2025-12' AND month <= '2026-11' AND n <> 0";
    for _ in 0..3 {
        let t = Instant::now();
        let (s,): (Option<String>,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT string_agg(bcu_key || chr(31) || kind || chr(31) || late_code || chr(31) || step::text || chr(31) || n::text, chr(30)) {w}"))).fetch_one(&p).await.unwrap();
        let n = s.unwrap().split('\u{1e}').count();
        println!("packed {n} {:?}", t.elapsed());
        let t = Instant::now();
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT bcu_key, kind, late_code, step, n {w}"),
        ))
        .fetch_all(&p)
        .await
        .unwrap();
        println!("rows {} {:?}", rows.len(), t.elapsed());
        let t = Instant::now();
        let rows: Vec<(String, String, String, i64, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT bcu_key, kind, late_code, step, CAST(SUM(n) AS BIGINT) {w} GROUP BY 1,2,3,4"
            )))
            .fetch_all(&p)
            .await
            .unwrap();
        println!("grouped {} {:?}", rows.len(), t.elapsed());
    }
}
