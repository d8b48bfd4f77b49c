package io.readout.jobs.hdfs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Comparator;

/**
 * A real HDFS in this JVM (Hadoop's {@link MiniDFSCluster}: one namenode, one datanode, on free
 * localhost ports) under a temporary base folder, for the tests that prove the jobs go through
 * Hadoop's {@link FileSystem} everywhere. Replication is 1: there is one datanode.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final java.nio.file.Path base;
    private final String uri;

    private MiniHdfs(MiniDFSCluster cluster, java.nio.file.Path base) {
        this.cluster = cluster;
        this.base = base;
        this.uri = "hdfs://localhost:" + cluster.getNameNodePort();
    }

    public static MiniHdfs start() {
        try {
            java.nio.file.Path base = Files.createTempDirectory("readout-minidfs-");
            Configuration conf = new Configuration();
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
            conf.setInt("dfs.replication", 1);
            conf.set("dfs.namenode.rpc-address", "localhost:0");
            MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf)
                    .numDataNodes(1)
                    .format(true)
                    .build();
            cluster.waitActive();
            return new MiniHdfs(cluster, base);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the HDFS minicluster", e);
        }
    }

    /** {@code hdfs://localhost:PORT}, without a trailing slash. */
    public String uri() {
        return uri;
    }

    /** A path on this HDFS, e.g. {@code url("/pipeline/data")}. */
    public String url(String absolutePath) {
        return uri + absolutePath;
    }

    public FileSystem fs() {
        try {
            return cluster.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings a Spark session needs to write here sensibly (one datanode). */
    public static void configure(Configuration sparkHadoopConf) {
        sparkHadoopConf.setInt("dfs.replication", 1);
    }

    public boolean exists(String path) {
        try {
            return fs().exists(new Path(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String readText(String path) {
        try (InputStream in = fs().open(new Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    @Override
    public void close() {
        cluster.shutdown(true);
        try (var walk = Files.walk(base)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
