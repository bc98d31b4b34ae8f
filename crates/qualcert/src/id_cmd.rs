//! `qualcert id check NUMBER`: what an IIN or BIN encodes, or why it is invalid.

use anyhow::Result;
use clap::Subcommand;
use rules::TaxpayerId;
use rules::ids::{EntityAttribute, EntityType, Sex};

use crate::Outcome;

#[derive(Subcommand)]
pub(crate) enum IdCommand {
    /// Checks a 12-digit IIN or BIN; exit code 0 when valid, 1 when not.
    Check {
        /// The number.
        number: String,
    },
}

pub(crate) fn run(cmd: IdCommand) -> Result<Outcome> {
    let IdCommand::Check { number } = cmd;
    match TaxpayerId::parse(&number) {
        Ok(TaxpayerId::Iin(iin)) => {
            let born = iin.birth_date().map_or("unknown (century digit 0)".to_owned(), |d| d.to_string());
            let sex = match iin.sex() {
                Some(Sex::Male) => "male",
                Some(Sex::Female) => "female",
                None => "not encoded",
            };
            out!("IIN {iin}: valid; born {born}; sex {sex}; century-and-sex digit {}", iin.century_sex_digit());
            Ok(Outcome::Ok)
        }
        Ok(TaxpayerId::Bin(bin)) => {
            let (yy, mm) = bin.registered();
            let kind = match bin.entity_type() {
                EntityType::ResidentLegalEntity => "resident legal entity",
                EntityType::NonResidentLegalEntity => "non-resident legal entity",
                EntityType::JointEntrepreneurship => "joint individual entrepreneurship",
            };
            let attr = match bin.attribute() {
                EntityAttribute::HeadOffice => "head office",
                EntityAttribute::Branch => "branch",
                EntityAttribute::RepresentativeOffice => "representative office",
                EntityAttribute::PeasantFarm => "peasant farm",
            };
            out!("BIN {bin}: valid; registered {yy:02}-{mm:02} (YY-MM); {kind}; {attr}");
            Ok(Outcome::Ok)
        }
        Err(e) => {
            out!("{}: invalid: {e}", number.trim());
            Ok(Outcome::No)
        }
    }
}
