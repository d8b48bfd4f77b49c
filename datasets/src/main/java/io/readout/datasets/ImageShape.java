package io.readout.datasets;

import io.readout.common.BadInputException;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** Height, width and channels of the images of a dataset; pixels are stored channels first (CHW), one byte each. */
public record ImageShape(int height, int width, int channels) implements Serializable {

    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive: " + height + "x" + width + "x" + channels);
        }
    }

    /** As dataset.json records it: {@code [height, width, channels]}. */
    public List<Integer> toJson() {
        return List.of(height, width, channels);
    }

    public int pixels() {
        return height * width * channels;
    }

    /** Parses {@code HxW} (as given to {@code --image-size}) with the given channel count. */
    public static ImageShape parse(String hxw, int channels, String flag) {
        String[] parts = hxw.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = Integer.parseInt(parts[1].trim());
                if (h > 0 && w > 0 && h <= 4096 && w <= 4096) {
                    return new ImageShape(h, w, channels);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException(flag + " '" + hxw + "': expected HEIGHTxWIDTH, e.g. 64x64");
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
