// Placeholder so the test target builds until its first suite lands; delete when adding one.
import Testing
