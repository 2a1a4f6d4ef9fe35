// Placeholder so the target builds until its first type lands; delete when adding one.
import COpenBLAS
