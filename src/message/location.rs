//! Location messages.

use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A location pin: latitude and longitude in degrees, with optional name and address.
///
/// Meta's current documentation types latitude and longitude as strings
/// (`"37.44216251868683"`), so they are sent as the shortest decimal string that reads back as the
/// same `f64`.
///
/// ```
/// use whatsapp_cloud::message::Location;
/// let pin = Location::new(37.44216251868683, -122.16153582049394)
///     .name("Philz Coffee")
///     .address("101 Forest Ave, Palo Alto, CA 94301");
/// assert_eq!(
///     serde_json::to_value(&pin)?,
///     serde_json::json!({
///         "latitude": "37.44216251868683", "longitude": "-122.16153582049394",
///         "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Location {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

impl Location {
    /// A pin at `latitude` (-90 to 90) and `longitude` (-180 to 180).
    pub fn new(latitude: f64, longitude: f64) -> Self {
        Self {
            latitude,
            longitude,
            name: None,
            address: None,
        }
    }

    /// The place's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The place's address.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// The latitude in degrees.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// The longitude in degrees.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// Checks the coordinates are finite and in range; `path` is the location object's JSON path.
    pub(crate) fn validate_at(&self, path: &str) -> Result<(), ValidationError> {
        check_degrees(
            &format!("{path}.latitude"),
            self.latitude,
            limits::LATITUDE_MAX,
        )?;
        check_degrees(
            &format!("{path}.longitude"),
            self.longitude,
            limits::LONGITUDE_MAX,
        )?;
        if let Some(name) = &self.name {
            limits::non_blank(&format!("{path}.name"), name)?;
        }
        if let Some(address) = &self.address {
            limits::non_blank(&format!("{path}.address"), address)?;
        }
        Ok(())
    }

    /// Checks the coordinates are finite and in range.
    ///
    /// # Errors
    /// `location.latitude` or `location.longitude` out of range or not a number; a blank name or address.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at("location")
    }
}

fn check_degrees(field: &str, value: f64, max: f64) -> Result<(), ValidationError> {
    if !value.is_finite() {
        return Err(limits::invalid(
            field,
            value.to_string(),
            "a finite number of degrees",
        ));
    }
    if !(-max..=max).contains(&value) {
        return Err(ValidationError::new(
            field,
            Violation::Invalid {
                value: value.to_string(),
                expected: format!("degrees from -{max} to {max}"),
            },
        ));
    }
    Ok(())
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("latitude", &self.latitude.to_string())?;
        map.serialize_entry("longitude", &self.longitude.to_string())?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        if let Some(address) = &self.address {
            map.serialize_entry("address", address)?;
        }
        map.end()
    }
}

impl From<Location> for super::Message {
    fn from(value: Location) -> Self {
        super::Message::Location(value)
    }
}
