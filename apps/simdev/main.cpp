// Placeholder: the CLI front is being written (issue 2 item 2).
#include <cstdio>
int main() { std::puts("simdev"); return 0; }
