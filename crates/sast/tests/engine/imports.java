import java.util.Random;

class A {
    void f() {
        // ruleid: java-random
        Random r = new Random();
        // ruleid: java-random
        java.util.Random s = new java.util.Random();
    }
}
