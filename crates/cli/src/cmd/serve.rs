//! `safeguard serve`: run the web pages and API on a database.

use super::common::{self, DataArgs};
use anyhow::Context;
use domain::audit::{JustificationPolicy, Processing};
use std::path::PathBuf;

/// Settings of the web server.
#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SAFEGUARD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Mark cookies Secure (set this when Safeguard is served over HTTPS).
    #[arg(long, env = "SAFEGUARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A reverse proxy's address or range (CIDR, repeatable): behind it, a client's address for sign-in limits
    /// is the right-most `X-Forwarded-For` address outside these ranges. Without it, the TCP peer's.
    #[arg(
        long = "trusted-proxy",
        value_name = "CIDR",
        env = "SAFEGUARD_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Hours a sign-in lasts.
    #[arg(long, env = "SAFEGUARD_SESSION_HOURS", default_value_t = 8)]
    pub session_hours: i64,
    /// Timeliness table (TOML; see docs/timeliness.md). The built-in defaults when absent.
    #[arg(long, env = "SAFEGUARD_TIMELINESS")]
    pub timeliness: Option<PathBuf>,
    /// The force's own risk instrument (TOML; see docs/risk-instrument.md). The shipped default when absent.
    #[arg(long, env = "SAFEGUARD_INSTRUMENT")]
    pub instrument: Option<PathBuf>,
    /// Outcome numbers that count as no further action and need a supervisor's approval, comma-separated
    /// (default 9,10,12,13,14,15,16,17,18,21; see docs/outcomes.md).
    #[arg(long, env = "SAFEGUARD_NFA", value_delimiter = ',')]
    pub nfa: Vec<String>,
    /// Retention review table (TOML; see docs/outcomes.md). Default: reviewed 10 years after closing, then
    /// every 10 years.
    #[arg(long, env = "SAFEGUARD_RETENTION")]
    pub retention: Option<PathBuf>,
    /// Investigation plan templates (TOML; see docs/plans.md). The shipped default when absent.
    #[arg(long, env = "SAFEGUARD_PLANS")]
    pub plans: Option<PathBuf>,
    /// The areas case quality reviews grade against (TOML, see config/quality-areas.toml); the inspectorate's
    /// six areas when absent.
    #[arg(long, env = "SAFEGUARD_QUALITY_AREAS")]
    pub quality_areas: Option<PathBuf>,
    /// The earliest date accepted for any time given, YYYY-MM-DD (receipts, incidents, steps).
    #[arg(long, env = "SAFEGUARD_EARLIEST_DATE", default_value = "2000-01-01")]
    pub earliest_date: jiff::civil::Date,
    /// The fewest referrals a share, median or percentile of the figures is computed from; below it the
    /// figure is not given (`[low]`). At least 1.
    #[arg(long, env = "SAFEGUARD_FIGURES_MIN_BASE", default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub figures_min_base: i64,
    /// Kinds of processing that need a justification, comma-separated (e.g. consultation,disclosure).
    #[arg(long, env = "SAFEGUARD_JUSTIFICATION_REQUIRED", value_delimiter = ',')]
    pub justification_required: Vec<String>,
}

/// `safeguard serve` arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    serve: ServeArgs,
}

/// The settings `serve` runs with: the use cases' and the web edge's.
pub struct Settings {
    /// The use cases' settings.
    pub app: app::Config,
    /// The web edge's settings.
    pub web: web::WebConfig,
}

impl ServeArgs {
    /// The settings these flags describe.
    pub fn config(&self) -> anyhow::Result<Settings> {
        let mut cfg = app::Config {
            session_hours: self.session_hours,
            earliest: self.earliest_date,
            figures_min_base: self.figures_min_base,
            ..Default::default()
        };
        if let Some(path) = &self.timeliness {
            cfg.timeliness = common::timeliness_table(path)?;
        }
        if !self.nfa.is_empty() {
            cfg.nfa = domain::NfaPolicy::from_numbers(&self.nfa)
                .map_err(anyhow::Error::msg)
                .context("invalid --nfa")?;
        }
        if let Some(path) = &self.retention {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read retention table {}", path.display()))?;
            cfg.retention = domain::retention::RetentionTable::from_toml(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("invalid retention table {}", path.display()))?;
        }
        if let Some(path) = &self.plans {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read plan templates {}", path.display()))?;
            cfg.plans = std::sync::Arc::new(
                domain::plans::PlanSet::from_toml(&text)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("invalid plan templates {}", path.display()))?,
            );
        }
        if let Some(path) = &self.quality_areas {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read quality areas {}", path.display()))?;
            cfg.quality_areas = std::sync::Arc::new(
                domain::quality::QualityAreas::from_toml(&text)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("invalid quality areas {}", path.display()))?,
            );
        }
        if let Some(path) = &self.instrument {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read instrument {}", path.display()))?;
            let instrument = domain::instrument::Instrument::from_toml(&text)
                .with_context(|| format!("invalid instrument {}", path.display()))?;
            cfg.instrument = std::sync::Arc::new(instrument);
        }
        let kinds = self
            .justification_required
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<Processing>().map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<Vec<_>>>()
            .context("invalid --justification-required")?;
        cfg.justification = JustificationPolicy {
            mandatory_for: kinds,
        };
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| web::parse_proxy_range(s.trim()).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<Vec<_>>>()
            .context("invalid --trusted-proxy")?;
        Ok(Settings {
            app: cfg,
            web: web::WebConfig {
                secure_cookies: self.secure_cookies,
                trusted_proxies,
            },
        })
    }

    /// Serve the application with these settings until interrupted.
    pub async fn run(&self, app: app::App, settings: Settings) -> anyhow::Result<()> {
        // Referrals allocated before supervisory reviews existed (or under another interval) get their clock.
        let started = app::supervision::ensure_review_clocks(&app)
            .await
            .map_err(|e| anyhow::anyhow!("failed to start review clocks: {}", e.message()))?;
        if started > 0 {
            println!("Started the supervisory review clock of {started} allocated referrals.");
        }
        let plans = app::plans::ensure_plans(&app)
            .await
            .map_err(|e| anyhow::anyhow!("failed to make investigation plans: {}", e.message()))?;
        if plans > 0 {
            println!("Made the investigation plan of {plans} allocated referrals.");
        }
        let listener = tokio::net::TcpListener::bind(&self.bind)
            .await
            .with_context(|| format!("failed to listen on {}", self.bind))?;
        let addr = listener.local_addr()?;
        println!("Safeguard is running at http://{addr}/ (press Ctrl+C to stop)");
        web::serve(listener, web::AppState::new(app, settings.web))
            .await
            .context("the server stopped with an error")
    }
}

/// Run the server.
pub fn exec(args: Args) -> anyhow::Result<()> {
    common::init_logging();
    common::runtime()?.block_on(async {
        let settings = args.serve.config()?;
        let app = args.data.open_with(true, settings.app.clone()).await?;
        args.serve.run(app, settings).await
    })
}
