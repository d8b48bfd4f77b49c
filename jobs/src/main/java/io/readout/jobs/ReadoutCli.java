package io.readout.jobs; public class ReadoutCli { public static void main(String[] a){} }
