package io.readout.jobs.prepare;

import io.readout.datasets.images.ImageFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny datasets in the exact layouts their releases use, written by tests: Waterbirds
 * ({@code metadata.csv} + image folders), CelebA (attribute and partition CSVs +
 * {@code img_align_celeba/}), and a user's CSV table.
 */
final class ReleaseLayouts {
    private ReleaseLayouts() {
    }

    /** Waterbirds: 24 images; y = i % 2, place = (i / 2) % 2, split = (i / 4) % 3 -> every split holds every group. */
    static Path waterbirds(Path root) throws IOException {
        List<String> lines = new ArrayList<>(List.of("img_id,img_filename,y,split,place"));
        for (int i = 1; i <= 24; i++) {
            int y = i % 2;
            int place = (i / 2) % 2;
            int split = (i / 4) % 3;
            String file = (y == 0 ? "001.Black_footed_Albatross/" : "017.Cardinal/") + "bird_" + i + ".jpg";
            ImageFixtures.writeSolid(root.resolve(file), 20 + i, 30, ImageFixtures.colour(i));
            lines.add(i + "," + file + "," + y + "," + split + "," + place);
        }
        Files.write(root.resolve("metadata.csv"), lines);
        return root;
    }

    /** CelebA: 18 images; Blond_Hair = i % 2, Male = (i / 2) % 2, partition = (i / 4) % 3 (as ±1 attributes). */
    static Path celeba(Path root) throws IOException {
        List<String> attrs = new ArrayList<>(List.of("image_id,Bald,Blond_Hair,Male,Smiling"));
        List<String> parts = new ArrayList<>(List.of("image_id,partition"));
        for (int i = 0; i < 24; i++) {
            String id = String.format("%06d.jpg", i + 1);
            ImageFixtures.writeSolid(root.resolve("img_align_celeba").resolve(id), 21, 17, ImageFixtures.colour(i));
            attrs.add(id + ",-1," + (i % 2 == 1 ? "1" : "-1") + "," + ((i / 2) % 2 == 1 ? "1" : "-1") + ",1");
            parts.add(id + "," + (i / 4) % 3);
        }
        Files.write(root.resolve("list_attr_celeba.csv"), attrs);
        Files.write(root.resolve("list_eval_partition.csv"), parts);
        return root;
    }

    /** A CSV of 30 rows: id, two features, label = i % 2, attribute = (i / 2) % 2, split cycling train/val/test. */
    static Path table(Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of("key,income,age,default,region,part"));
        String[] splits = {"train", "val", "test"};
        for (int i = 0; i < 30; i++) {
            lines.add("r" + i + "," + (1000 + 10 * i) + "," + (20 + i) + "," + (i % 2) + "," + ((i / 2) % 2) + ","
                    + splits[(i / 4) % 3]);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return file;
    }
}
