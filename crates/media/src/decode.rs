//! Turning an image file's bytes into luma for PDQ. Grey images give their grey values directly (as the
//! reference does); every other colour type is converted to 8-bit RGB first. Image content never leaves this
//! module except as the luma buffer that is hashed and dropped.

use image::{DynamicImage, ImageFormat};

use crate::pdq::Luma;

/// Why bytes could not be decoded as an image.
#[derive(Debug, thiserror::Error)]
#[error("not a decodable image: {0}")]
pub struct DecodeError(String);

/// The image format the bytes start like, if any of the decoders Safeguard has knows it.
pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
    let format = image::guess_format(head).ok()?;
    matches!(
        format,
        ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::Gif
            | ImageFormat::Bmp
            | ImageFormat::Tiff
            | ImageFormat::WebP
    )
    .then_some(format)
}

/// Decodes a whole image file held in memory into luma.
pub fn luma_from_bytes(bytes: &[u8]) -> Result<Luma, DecodeError> {
    let format = sniff(bytes).ok_or_else(|| DecodeError("unknown format".into()))?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(image::Limits::default());
    let image = reader.decode().map_err(|e| DecodeError(e.to_string()))?;
    Ok(luma_from_image(&image))
}

/// Luma of a decoded image: grey values as they are, anything else through 8-bit RGB.
pub fn luma_from_image(image: &DynamicImage) -> Luma {
    let (cols, rows) = (image.width() as usize, image.height() as usize);
    match image {
        DynamicImage::ImageLuma8(grey) => Luma::from_grey(grey.as_raw(), cols, rows),
        DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA16(_) => Luma::from_grey(image.to_luma8().as_raw(), cols, rows),
        _ => Luma::from_rgb(image.to_rgb8().as_raw(), cols, rows),
    }
}
