package io.readout.jobs.registry;

import io.readout.jobs.hdfs.MiniHdfs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry on a real HDFS: there a plain rename onto the existing {@code current} or
 * {@code history.json} fails, and exclusive create is the namenode's, so the pointer switch, the history
 * rewrite and the lock are exercised on the file system production registries live on.
 */
class RegistryHdfsIT {
    static MiniHdfs hdfs;
    static Configuration conf;

    @BeforeAll
    static void start() {
        hdfs = MiniHdfs.start();
        conf = new Configuration();
        MiniHdfs.configure(conf);
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void promotesRefusesAndPromotes() throws Exception {
        RegistryScenarios.promoteRefusePromote(conf, hdfs.url("/sequence"));
    }

    @Test
    void concurrentDecisionsStayConsistent() throws Exception {
        RegistryScenarios.concurrentDecisions(conf, hdfs.url("/concurrent"), 4);
    }
}
