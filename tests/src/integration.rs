fn main(){}

mod pixels;
